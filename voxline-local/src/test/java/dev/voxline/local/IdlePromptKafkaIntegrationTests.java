package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The idle prompt through the real broker and every service: a caller who says nothing for the session's
 * {@code userIdleTimeoutMs} hears the agent ask whether they are still there — an agent-initiated turn, ordered and
 * played by the gateway like any reply — and nothing before the timeout.
 */
class IdlePromptKafkaIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long IDLE_MS = 1_500;
    private static final String PROMPT = "Are you still there?";

    private static String session(long idleMs) {
        return """
                {"type":"session.start","engines":{"vad":"simulated","stt":"simulated","llm":"simulated","tts":"simulated"},
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":0,"llmTtftMs":0,
                 "llmTokensPerSecond":1000,"ttsTtfbMs":0,"ttsRealTimeFactor":0,"reply":"Fine, thanks."},
                 "turnTaking":{"userIdleTimeoutMs":%d}}""".formatted(idleMs);
    }

    /** The caller's open, silent microphone for {@code ms}, at real time. */
    private static void silence(TestTalkClient client, long ms) throws InterruptedException {
        client.streamPcm(new byte[(int) (16_000 * 2 * ms / 1000)], 16_000, 20, 1.0);
    }

    @Test
    void aSilentCallerHearsThePromptAfterTheTimeoutNothingBeforeItAndAtMostTwoInARow() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(session(IDLE_MS));
            client.await(VoiceEvent.SessionStarted.class, WAIT);
            long startedNanos = client.received().get(0).nanos();
            silence(client, IDLE_MS - 300);
            assertThat(client.types()).as("nothing before the timeout").containsExactly("session.started");

            VoiceEvent.AgentTurn first = client.await(VoiceEvent.AgentTurn.class, WAIT);
            String turn = first.turnId();
            assertThat(first.reason()).isEqualTo(VoiceEvent.AgentTurn.USER_IDLE);
            assertThat(first.prompt()).isEqualTo(1);
            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, d -> d.turnId().equals(turn), WAIT);

            List<TestTalkClient.Received> all = client.received();
            int agentTurnAt = TestTalkClient.indexOf(all, VoiceEvent.AgentTurn.class, turn);
            assertThat(agentTurnAt).as("the prompt is the first thing after session.started").isEqualTo(1);
            assertThat(Duration.ofNanos(all.get(agentTurnAt).nanos() - startedNanos).toMillis())
                    .as("not before the caller was silent for the timeout").isGreaterThanOrEqualTo(IDLE_MS - 100);
            assertThat(TestTalkClient.dedupeConsecutive(client.types().subList(1, client.types().size())))
                    .containsSubsequence("agent.turn", "reply.delta", "audio.start", "binary", "audio.done");
            int audioStartAt = TestTalkClient.indexOf(all, VoiceEvent.AudioStart.class, turn);
            assertThat(Duration.ofNanos(all.get(audioStartAt).nanos() - all.get(agentTurnAt).nanos()).toMillis())
                    .as("not held back for a transcript (the gateway's order timeout is 2 s)").isLessThan(1_500);
            assertThat(client.events(VoiceEvent.ReplyDone.class)).singleElement().satisfies(reply -> {
                assertThat(reply.turnId()).isEqualTo(turn);
                assertThat(reply.text()).isEqualTo(PROMPT);
                assertThat(reply.cancelled()).isFalse();
            });
            assertThat(client.events(VoiceEvent.AudioStart.class)).extracting(VoiceEvent::turnId)
                    .containsExactly(turn);
            assertThat(done.audioMs()).as("the prompt is spoken").isGreaterThan(300);
            assertThat(Pcm.durationMs(client.audioBytes().length, 16_000)).as("all of it reached the client")
                    .isEqualTo(done.audioMs());
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class,
                    m -> m.turnId().equals(turn), WAIT);
            assertThat(report.e2e()).as("clocked from the agent's decision to its first audio").isNotNull();
            assertThat(report.ttsCharacters()).isEqualTo(PROMPT.length());
            assertThat(report.reason()).isNull();

            // the wait starts again when the prompt has played; a second prompt, then the agent waits silently
            VoiceEvent.AgentTurn second = client.await(VoiceEvent.AgentTurn.class, t -> t.prompt() == 2, WAIT);
            assertThat(second.turnId()).isNotEqualTo(turn);
            client.await(VoiceEvent.AudioDone.class, d -> d.turnId().equals(second.turnId()), WAIT);
            silence(client, 3 * IDLE_MS);
            assertThat(client.events(VoiceEvent.AgentTurn.class)).hasSize(2);
        }
    }

    @Test
    void theWaitStartsWhenTheAgentsReplyHasPlayedAndTypingCancelsIt() throws Exception {
        long idleMs = 2_000;
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(session(idleMs));
            client.await(VoiceEvent.SessionStarted.class, WAIT);
            silence(client, idleMs / 2);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"hello\"}"); // before the first prompt
            VoiceEvent.AudioDone answered = client.await(VoiceEvent.AudioDone.class, WAIT);
            long answeredNanos = arrivalOf(client.received(), answered);

            VoiceEvent.AgentTurn prompt = client.await(VoiceEvent.AgentTurn.class, WAIT);
            List<TestTalkClient.Received> all = client.received();
            assertThat(Duration.ofNanos(arrivalOf(all, prompt) - answeredNanos).toMillis())
                    .as("a full timeout after the answer played").isGreaterThanOrEqualTo(idleMs - 100);
            assertThat(client.events(VoiceEvent.AgentTurn.class)).as("no prompt before the typed turn's answer")
                    .hasSize(1);
            assertThat(prompt.turnId()).isNotEqualTo(answered.turnId());
            assertThat(prompt.prompt()).isEqualTo(1);
            client.await(VoiceEvent.AudioDone.class, d -> d.turnId().equals(prompt.turnId()), WAIT);
        }
    }

    private static long arrivalOf(List<TestTalkClient.Received> all, VoiceEvent event) {
        return all.stream().filter(r -> !r.isAudio() && r.event().equals(event)).findFirst().orElseThrow().nanos();
    }
}
