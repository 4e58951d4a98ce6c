package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline through a real broker: every service in its own Spring context, talking only over Kafka. The
 * scenarios are the same for every broker; subclasses say which stack they run on.
 */
abstract class PipelineScenarios {

    /** The gateway (instance 0) of the stack under test. */
    abstract int gatewayPort();

    /** A second gateway instance (index 1) on the same broker. */
    abstract int secondGatewayPort();

    abstract String bootstrapServers();

    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(30);

    /** Simulated engines with no delays, so turns are quick; pacing of reply audio stays real-time. */
    static String fastSession(String transcript, String reply) {
        return """
                {"type":"session.start","engines":{"vad":"simulated","stt":"simulated","llm":"simulated","tts":"simulated"},
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":0,"llmTtftMs":0,
                 "llmTokensPerSecond":1000,"ttsTtfbMs":0,"ttsRealTimeFactor":0%s%s}}"""
                .formatted(transcript == null ? "" : ",\"transcript\":\"" + transcript + "\"",
                        reply == null ? "" : ",\"reply\":\"" + reply + "\"");
    }

    @Test
    void spokenQuestionGetsTheWholeTurnInProtocolOrderWithRealTimeReplyAudio() throws Exception {
        Wav wav = Wav.resource("question-16k.wav");
        try (TestTalkClient client = TestTalkClient.connect(gatewayPort())) {
            client.sendJson(fastSession("what time is it in paris", "It is noon in Paris. Have a nice day."));
            VoiceEvent.SessionStarted started = client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);
            // Odd chunk length (30 ms) on purpose: the gateway re-chunks into 20 ms frames.
            client.streamPcm(wav.pcm(), wav.sampleRate(), 30, 4.0);
            client.streamPcm(new byte[wav.sampleRate() * 2], wav.sampleRate(), 30, 4.0); // 1 s of trailing silence
            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);

            List<TestTalkClient.Received> all = client.received();
            List<String> order = TestTalkClient.dedupeConsecutive(client.types());
            assertThat(order).containsSubsequence("session.started", "speech.started", "speech.ended",
                    "transcript.final", "reply.delta", "audio.start", "binary", "audio.done");
            assertThat(order).containsSubsequence("reply.delta", "reply.done", "audio.done");
            assertThat(order.get(0)).isEqualTo("session.started");
            // turn.metrics is never held back: it may already be there, right after audio.done
            List<String> turnEvents = order.stream().filter(type -> !type.equals("turn.metrics")).toList();
            assertThat(turnEvents.get(turnEvents.size() - 1)).isIn("audio.done", "reply.done");
            assertBefore(all, "transcript.final", "reply.delta");
            assertBefore(all, "transcript.final", "audio.start");
            assertBefore(all, "audio.start", "binary");
            assertBefore(all, "reply.done", "audio.done");

            String turnId = client.await(VoiceEvent.SpeechStarted.class, TURN_TIMEOUT).turnId();
            assertThat(client.events()).filteredOn(e -> e.turnId() != null)
                    .extracting(VoiceEvent::turnId).containsOnly(turnId);
            assertThat(client.events()).extracting(VoiceEvent::sessionId).containsOnly(started.sessionId());
            VoiceEvent.SpeechStarted speech = client.await(VoiceEvent.SpeechStarted.class, TURN_TIMEOUT);
            assertThat(speech.audioMs()).isBetween(300L, 700L); // the fixture has 0.5 s of leading silence
            assertThat(client.await(VoiceEvent.TranscriptFinal.class, TURN_TIMEOUT).text())
                    .isEqualTo("what time is it in paris");
            VoiceEvent.ReplyDone reply = client.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT);
            assertThat(reply.text()).isEqualTo("It is noon in Paris. Have a nice day.");
            assertThat(client.events(VoiceEvent.ReplyDelta.class).stream().map(VoiceEvent.ReplyDelta::text)
                    .collect(Collectors.joining())).isEqualTo(reply.text());

            byte[] audio = client.audioBytes();
            long audioMs = Pcm.durationMs(audio.length, started.outputFormat().sampleRate());
            assertThat(audioMs).isGreaterThan(500).isEqualTo(done.audioMs());
            assertThat(Pcm.rmsDbfs(audio)).as("reply audio is a real signal, not silence").isGreaterThan(-40);

            // Real-time pacing: first to last frame takes about the audio's duration minus the ~200 ms lead.
            List<TestTalkClient.Received> frames = all.stream().filter(TestTalkClient.Received::isAudio).toList();
            double spreadMs = (frames.get(frames.size() - 1).nanos() - frames.get(0).nanos()) / 1e6;
            double expectedMs = audioMs - 200 - Pcm.FRAME_MS;
            assertThat(spreadMs).as("reply audio spread over %.0f ms for %d ms of audio", spreadMs, audioMs)
                    .isBetween(expectedMs * 0.8 - 50, audioMs + 1_500.0);
        }
    }

    @Test
    void typedTextGetsASpokenReplyThroughTheSamePath() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(gatewayPort())) {
            client.sendJson(fastSession(null, null));
            client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"hello from the keyboard\"}");
            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);

            VoiceEvent.TranscriptFinal transcript = client.await(VoiceEvent.TranscriptFinal.class, TURN_TIMEOUT);
            assertThat(transcript.typed()).isTrue();
            assertThat(transcript.text()).isEqualTo("hello from the keyboard");
            assertThat(done.turnId()).isEqualTo(transcript.turnId());
            assertThat(client.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text()).isNotBlank();
            assertThat(TestTalkClient.dedupeConsecutive(client.types())).containsSubsequence("session.started",
                    "transcript.final", "reply.delta", "audio.start", "binary", "audio.done");
            assertThat(client.types()).doesNotContain("speech.started", "error");
            assertThat(Pcm.rmsDbfs(client.audioBytes())).isGreaterThan(-40);
        }
    }

    @Test
    void concurrentSessionsSeeOnlyTheirOwnEventsAndAudio() throws Exception {
        try (TestTalkClient alpha = TestTalkClient.connect(gatewayPort());
             TestTalkClient bravo = TestTalkClient.connect(gatewayPort())) {
            alpha.sendJson(fastSession(null, "Alpha speaking, over."));
            bravo.sendJson(fastSession(null, "Bravo here, with a somewhat longer answer than alpha gives."));
            String alphaId = alpha.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT).sessionId();
            String bravoId = bravo.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT).sessionId();
            alpha.sendJson("{\"type\":\"text.input\",\"text\":\"alpha\"}");
            bravo.sendJson("{\"type\":\"text.input\",\"text\":\"bravo\"}");
            alpha.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);
            VoiceEvent.AudioDone bravoDone = bravo.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);

            assertThat(alphaId).isNotEqualTo(bravoId);
            assertThat(alpha.events()).extracting(VoiceEvent::sessionId).containsOnly(alphaId);
            assertThat(bravo.events()).extracting(VoiceEvent::sessionId).containsOnly(bravoId);
            assertThat(alpha.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text()).isEqualTo("Alpha speaking, over.");
            assertThat(bravo.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text()).startsWith("Bravo here");
            long alphaAudioMs = Pcm.durationMs(alpha.audioBytes().length, 16_000);
            long bravoAudioMs = Pcm.durationMs(bravo.audioBytes().length, 16_000);
            assertThat(alphaAudioMs).isEqualTo(alpha.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT).audioMs());
            assertThat(bravoAudioMs).isEqualTo(bravoDone.audioMs()).isGreaterThan(alphaAudioMs);
        }
    }

    @Test
    void badInputGetsAClearErrorAndBreaksNothing() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(gatewayPort());
             TestTalkClient bystander = TestTalkClient.connect(gatewayPort())) {
            client.sendJson(fastSession(null, "Still here."));
            bystander.sendJson(fastSession(null, "Bystander unaffected."));
            client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);
            bystander.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);

            client.sendJson("{\"type\":\"text.input\", oops");
            expectError(client, ErrorCodes.INVALID_JSON, 1);
            client.sendJson("{\"type\":\"dance\"}");
            expectError(client, ErrorCodes.UNKNOWN_TYPE, 2);
            client.sendBinary(new byte[641]);
            expectError(client, ErrorCodes.INVALID_AUDIO_FRAME, 3);
            client.sendBinary(new byte[256 * 1024]);
            expectError(client, ErrorCodes.FRAME_TOO_LARGE, 4);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"" + "a".repeat(2_001) + "\"}");
            expectError(client, ErrorCodes.TEXT_TOO_LONG, 5);
            bystander.sendJson("{\"type\":\"text.input\",\"text\":\"are you there\"}");

            client.sendJson("{\"type\":\"text.input\",\"text\":\"are you still there\"}");
            assertThat(client.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text()).isEqualTo("Still here.");
            client.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);
            assertThat(client.isClosed()).isFalse();
            assertThat(bystander.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text())
                    .isEqualTo("Bystander unaffected.");
            bystander.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);
            assertThat(bystander.events(VoiceEvent.Error.class)).isEmpty();
        }
    }

    @Test
    void eachGatewayInstanceGetsOnlyItsOwnSessionsFromTheDownlink() throws Exception {
        int secondPort = secondGatewayPort();
        try (TestTalkClient first = TestTalkClient.connect(gatewayPort());
             TestTalkClient second = TestTalkClient.connect(secondPort);
             DownlinkSpy spy = DownlinkSpy.open(bootstrapServers())) {
            first.sendJson(fastSession(null, "From gateway zero."));
            second.sendJson(fastSession(null, "From gateway one."));
            String firstId = first.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT).sessionId();
            String secondId = second.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT).sessionId();
            first.sendJson("{\"type\":\"text.input\",\"text\":\"one\"}");
            second.sendJson("{\"type\":\"text.input\",\"text\":\"two\"}");
            first.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);
            second.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);

            assertThat(first.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text()).isEqualTo("From gateway zero.");
            assertThat(second.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT).text()).isEqualTo("From gateway one.");
            Map<String, Set<Integer>> partitions = spy.partitionsOf(Set.of(firstId, secondId), Duration.ofSeconds(10));
            Set<Integer> firstPartitions = partitions.get(firstId);
            Set<Integer> secondPartitions = partitions.get(secondId);
            assertThat(firstPartitions).hasSize(1).allSatisfy(p -> assertThat(p).isBetween(0, 2));
            assertThat(secondPartitions).hasSize(1).allSatisfy(p -> assertThat(p).isBetween(3, 5));
            assertThat(first.events()).extracting(VoiceEvent::sessionId).containsOnly(firstId);
            assertThat(second.events()).extracting(VoiceEvent::sessionId).containsOnly(secondId);
        }
    }

    private static void expectError(TestTalkClient client, String code, int count) throws InterruptedException {
        VoiceEvent.Error error = client.await(VoiceEvent.Error.class, e -> e.code().equals(code), TURN_TIMEOUT);
        assertThat(error.message()).isNotBlank();
        assertThat(client.events(VoiceEvent.Error.class)).hasSize(count);
    }

    private static void assertBefore(List<TestTalkClient.Received> all, String first, String then) {
        List<String> types = all.stream().map(TestTalkClient.Received::type).toList();
        assertThat(types.lastIndexOf(first)).as("%s before %s in %s", first, then, types)
                .isGreaterThanOrEqualTo(0).isLessThan(types.indexOf(then));
    }
}
