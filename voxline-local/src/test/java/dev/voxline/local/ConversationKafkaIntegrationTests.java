package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Turn-taking through the real broker and every service, with audio: the agent is talking (a long typed turn's reply,
 * paced in real time) and the caller speaks over it. Simulated engines hear what the session scripts, so each test
 * says what the caller's speech "is": words (a barge-in), a backchannel, or no words at all.
 */
class ConversationKafkaIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** About 12 s of simulated reply audio: long enough to speak over. */
    private static final String LONG_REPLY = "Once upon a time there was a little lighthouse by the sea. "
            + "Every night it sent its light across the water to the ships. One stormy night a small boat lost "
            + "its way, and the lighthouse shone brighter than ever before. The boat came home safely at dawn.";

    private static String session(String heard) {
        return """
                {"type":"session.start","engines":{"vad":"simulated","stt":"simulated","llm":"simulated","tts":"simulated"},
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":0,"llmTtftMs":0,
                 "llmTokensPerSecond":1000,"ttsTtfbMs":0,"ttsRealTimeFactor":0,"transcript":"%s","reply":"%s"}}"""
                .formatted(heard, LONG_REPLY);
    }

    /** Starts the agent talking: a typed question, its long reply playing for {@code playMs}. */
    private static String agentTalking(TestTalkClient client, String heard, long playMs) throws Exception {
        client.sendJson(session(heard));
        client.sendJson("{\"type\":\"text.input\",\"text\":\"tell me a story\"}");
        String agentTurn = client.await(VoiceEvent.AudioStart.class, WAIT).turnId();
        Thread.sleep(playMs);
        return agentTurn;
    }

    /** The caller's microphone: {@code pcm} at real time in 20 ms chunks, then {@code silenceMs} of silence. */
    private static void speak(TestTalkClient client, byte[] pcm, int sampleRate, long silenceMs) throws Exception {
        client.streamPcm(pcm, sampleRate, 20, 1.0);
        client.streamPcm(new byte[(int) (sampleRate * 2 * silenceMs / 1000)], sampleRate, 20, 1.0);
    }

    @Test
    void wordsOverTheAgentStopItAndBecomeTheNextTurnAnsweredAtOnce() throws Exception {
        Wav question = Wav.resource("question-16k.wav");
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            String agentTurn = agentTalking(client, "what time is it in paris", 1_500);
            speak(client, question.pcm(), question.sampleRate(), 1_500);

            VoiceEvent.AudioPaused paused = client.await(VoiceEvent.AudioPaused.class, WAIT);
            VoiceEvent.AudioClear clear = client.await(VoiceEvent.AudioClear.class, WAIT);
            assertThat(paused.turnId()).isEqualTo(agentTurn);
            assertThat(clear.turnId()).isEqualTo(agentTurn);
            assertThat(clear.playedMs()).as("the caller heard only the start of the story")
                    .isBetween(1_000L, 6_000L).isEqualTo(paused.playedMs());
            String callerTurn = client.await(VoiceEvent.SpeechStarted.class, WAIT).turnId();
            assertThat(callerTurn).isNotEqualTo(agentTurn);
            VoiceEvent.AudioStart answer = client.await(VoiceEvent.AudioStart.class,
                    start -> start.turnId().equals(callerTurn), WAIT);
            assertThat(answer).isNotNull();

            List<TestTalkClient.Received> all = client.received();
            int clearAt = indexOf(all, VoiceEvent.AudioClear.class, agentTurn);
            int answerAt = indexOf(all, VoiceEvent.AudioStart.class, callerTurn);
            int pausedAt = indexOf(all, VoiceEvent.AudioPaused.class, agentTurn);
            assertThat(all.subList(pausedAt + 1, answerAt)).as("no audio between the pause and the next answer")
                    .noneMatch(TestTalkClient.Received::isAudio);
            assertThat(clearAt).isLessThan(answerAt);
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class,
                    m -> m.turnId().equals(agentTurn), WAIT);
            assertThat(report.interrupted()).isTrue();
        }
    }

    @Test
    void aShortNoiseOverTheAgentDoesNotStopIt() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            String agentTurn = agentTalking(client, "", 1_000);
            speak(client, tone(16_000, 200), 16_000, 500); // a click or a cough: 200 ms
            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, WAIT);
            assertThat(done.turnId()).isEqualTo(agentTurn);
            assertThat(client.events(VoiceEvent.AudioPaused.class)).isEmpty();
            assertThat(client.events(VoiceEvent.AudioClear.class)).isEmpty();
        }
    }

    @Test
    void aBackchannelPausesTheAgentOnlyUntilItIsHeardAsOne() throws Exception {
        Wav speech = Wav.resource("hello-16k.wav");
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            String agentTurn = agentTalking(client, "yeah", 1_000);
            speak(client, speech.pcm(), speech.sampleRate(), 800);
            VoiceEvent.AudioPaused paused = client.await(VoiceEvent.AudioPaused.class, WAIT);
            VoiceEvent.AudioResumed resumed = client.await(VoiceEvent.AudioResumed.class, WAIT);
            assertThat(resumed.turnId()).isEqualTo(agentTurn);
            assertThat(resumed.fromMs()).as("it goes on from what the caller heard").isEqualTo(paused.playedMs());
            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, WAIT);
            assertThat(done.turnId()).isEqualTo(agentTurn);
            assertThat(client.events(VoiceEvent.AudioClear.class)).isEmpty();
            assertThat(client.events(VoiceEvent.ReplyDone.class)).as("a backchannel gets no answer")
                    .extracting(VoiceEvent::turnId).containsOnly(agentTurn);
            // (each sentence of the fixture is a pause of its own: every pause is resumed)
            assertThat(client.events(VoiceEvent.AudioResumed.class))
                    .hasSameSizeAs(client.events(VoiceEvent.AudioPaused.class));
            List<TestTalkClient.Received> all = client.received();
            VoiceEvent.AudioResumed last = client.events(VoiceEvent.AudioResumed.class).get(
                    client.events(VoiceEvent.AudioResumed.class).size() - 1);
            int resumedAt = all.size() - 1;
            while (all.get(resumedAt).isAudio() || all.get(resumedAt).event() != last) {
                resumedAt--;
            }
            long afterResume = all.subList(resumedAt, all.size()).stream().filter(TestTalkClient.Received::isAudio)
                    .mapToLong(r -> r.audio().length).sum();
            assertThat(Pcm.durationMs(afterResume, 16_000)).as("the rest of the reply, from where it paused")
                    .isEqualTo(done.audioMs() - last.fromMs());
        }
    }

    @Test
    void speechWithoutWordsResumesTheAgent() throws Exception {
        Wav speech = Wav.resource("hello-16k.wav");
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            String agentTurn = agentTalking(client, "", 1_000);
            speak(client, speech.pcm(), speech.sampleRate(), 800);
            client.await(VoiceEvent.AudioPaused.class, WAIT);
            VoiceEvent.AudioResumed resumed = client.await(VoiceEvent.AudioResumed.class, WAIT);
            assertThat(resumed.turnId()).isEqualTo(agentTurn);
            assertThat(client.await(VoiceEvent.AudioDone.class, WAIT).turnId()).isEqualTo(agentTurn);
            assertThat(client.events(VoiceEvent.AudioClear.class)).isEmpty();
        }
    }

    @Test
    void typingWhileTheAgentSpeaksInterruptsIt() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            String agentTurn = agentTalking(client, "", 1_000);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"stop, what time is it?\"}");
            VoiceEvent.AudioClear clear = client.await(VoiceEvent.AudioClear.class, WAIT);
            assertThat(clear.turnId()).isEqualTo(agentTurn);
            VoiceEvent.AudioStart next = client.await(VoiceEvent.AudioStart.class,
                    start -> !start.turnId().equals(agentTurn), WAIT);
            assertThat(next.turnId()).isNotEqualTo(agentTurn);
        }
    }

    private static int indexOf(List<TestTalkClient.Received> all, Class<? extends VoiceEvent> type, String turnId) {
        for (int i = 0; i < all.size(); i++) {
            TestTalkClient.Received r = all.get(i);
            if (!r.isAudio() && type.isInstance(r.event()) && turnId.equals(r.event().turnId())) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " of " + turnId);
    }

    /** A loud 440 Hz tone: the energy detector hears it as sound. */
    static byte[] tone(int sampleRate, long ms) {
        int samples = (int) (sampleRate * ms / 1000);
        byte[] pcm = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short v = (short) (Math.sin(2 * Math.PI * 440 * i / sampleRate) * 12_000);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        return pcm;
    }
}
