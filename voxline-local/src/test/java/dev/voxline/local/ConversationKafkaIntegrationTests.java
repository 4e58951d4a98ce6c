package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.llm.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Turn-taking through the real broker and every service, with audio: the agent is talking (a long reply, paced in
 * real time) and the caller speaks over it. Simulated engines hear what the session scripts, so each test says what
 * the caller's speech "is": words (a barge-in), a backchannel, or no words at all. The agent's reply comes from the
 * simulated model, or, in one test, streams from a fake OpenAI-compatible server over SSE.
 */
class ConversationKafkaIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** About 12 s of simulated reply audio: long enough to speak over. */
    private static final String LONG_REPLY = "Once upon a time there was a little lighthouse by the sea. "
            + "Every night it sent its light across the water to the ships. One stormy night a small boat lost "
            + "its way, and the lighthouse shone brighter than ever before. The boat came home safely at dawn.";
    /** The fake model server's reply: one token a word, {@link #MODEL_TOKEN_MS} apart, about 10 s in all. */
    private static final List<String> MODEL_REPLY = tokens("In Paris it is a little after three in the "
            + "afternoon, one hour ahead of London. The weather there is mild today, with a light wind from the "
            + "west and some sun between the clouds. If you are planning a visit, the museums stay open until six, "
            + "the river boats run every half hour, and most cafes serve until late in the evening. The metro is "
            + "the quickest way across the city, and a day ticket covers every line. Spring and early autumn are "
            + "the gentlest seasons, when the parks are green and the queues are short, while August is hot and "
            + "many small shops close for the holidays. Would you like to hear about restaurants near the river, "
            + "or about the best time of year to travel there?");
    private static final int MODEL_TOKEN_MS = 80;

    // ---- the scenarios

    @Test
    void wordsOverTheAgentStopItAndBecomeTheNextTurnAnsweredAtOnce() throws Exception {
        try (TestTalkClient client = connect()) {
            String agentTurn = agentTalking(client, "what time is it in paris", 1_500);
            speak(client, Wav.resource("question-16k.wav"), 1_500);

            VoiceEvent.AudioPaused paused = client.await(VoiceEvent.AudioPaused.class, WAIT);
            VoiceEvent.AudioClear clear = client.await(VoiceEvent.AudioClear.class, WAIT);
            assertThat(paused.turnId()).isEqualTo(agentTurn);
            assertThat(clear.turnId()).isEqualTo(agentTurn);
            assertThat(clear.playedMs()).as("the caller heard only the start of the story")
                    .isBetween(1_000L, 6_000L).isEqualTo(paused.playedMs());
            String callerTurn = awaitNextAnswer(client, agentTurn);

            List<TestTalkClient.Received> all = client.received();
            int clearAt = TestTalkClient.indexOf(all, VoiceEvent.AudioClear.class, agentTurn);
            int answerAt = TestTalkClient.indexOf(all, VoiceEvent.AudioStart.class, callerTurn);
            int pausedAt = TestTalkClient.indexOf(all, VoiceEvent.AudioPaused.class, agentTurn);
            assertThat(all.subList(pausedAt + 1, answerAt)).as("no audio between the pause and the next answer")
                    .noneMatch(TestTalkClient.Received::isAudio);
            assertThat(clearAt).isLessThan(answerAt);
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class,
                    m -> m.turnId().equals(agentTurn), WAIT);
            assertThat(report.interrupted()).isTrue();
        }
    }

    /**
     * The same barge-in with the reply streaming from a model server (the {@code openai} engine against a fake one,
     * tokens 80 ms apart): the interruption must reach the server as its SSE stream closed by the client, seconds
     * before the stream would have ended, not as a stream read to its end and thrown away.
     */
    @Test
    void wordsOverAReplyStreamingFromAModelServerCloseTheStreamAtTheServer() throws Exception {
        FakeOpenAiServer model = SharedStack.openAi();
        List<String> tokensBefore = model.tokens;
        int streamsBefore = model.streams().size();
        int requestsBefore = model.requests().size();
        model.tokens = MODEL_REPLY;
        model.eventDelayMs = MODEL_TOKEN_MS;
        long scriptedMs = (MODEL_REPLY.size() + 1L) * MODEL_TOKEN_MS;
        Wav question = Wav.resource("question-16k.wav");
        try (TestTalkClient client = connect()) {
            client.sendJson(openAiSession("what time is it in paris"));
            client.await(VoiceEvent.SessionStarted.class, WAIT);
            ask(client, question);
            String agentTurn = client.await(VoiceEvent.AudioStart.class, WAIT).turnId();
            Thread.sleep(1_500); // the reply plays
            speak(client, question, 1_500);

            assertThat(awaitClear(client, agentTurn).playedMs()).as("the caller heard the start of the reply")
                    .isPositive();
            FakeOpenAiServer.Stream interrupted = awaitStream(model, streamsBefore);
            assertThat(interrupted.closedByClient()).as("the model server saw its stream closed by the client: %s",
                    interrupted).isTrue();
            assertThat(interrupted.sent()).as("tokens sent before the close, of %d", interrupted.tokens())
                    .isLessThan(interrupted.tokens() * 2 / 3);
            assertThat(interrupted.durationMs()).as("the stream's life, of %d ms scripted", scriptedMs)
                    .isLessThan(scriptedMs - 3_000);

            awaitNextAnswer(client, agentTurn);
            assertThat(model.requests()).as("the next turn asked the model again").hasSize(requestsBefore + 2);
        } finally {
            model.tokens = tokensBefore;
            model.eventDelayMs = 0;
        }
    }

    @Test
    void aShortNoiseOverTheAgentDoesNotStopIt() throws Exception {
        try (TestTalkClient client = connect()) {
            String agentTurn = agentTalking(client, "", 1_000);
            speak(client, tone(16_000, 200), 16_000, 500); // a click or a cough: 200 ms
            assertFinishedUncleared(client, agentTurn);
            assertThat(client.events(VoiceEvent.AudioPaused.class)).isEmpty();
        }
    }

    @Test
    void aBackchannelPausesTheAgentOnlyUntilItIsHeardAsOne() throws Exception {
        try (TestTalkClient client = connect()) {
            String agentTurn = agentTalking(client, "yeah", 1_000);
            speak(client, Wav.resource("hello-16k.wav"), 800);
            VoiceEvent.AudioPaused paused = client.await(VoiceEvent.AudioPaused.class, WAIT);
            VoiceEvent.AudioResumed resumed = awaitResumed(client, agentTurn);
            assertThat(resumed.fromMs()).as("it goes on from what the caller heard").isEqualTo(paused.playedMs());
            VoiceEvent.AudioDone done = assertFinishedUncleared(client, agentTurn);
            assertThat(client.events(VoiceEvent.ReplyDone.class)).as("a backchannel gets no answer")
                    .extracting(VoiceEvent::turnId).containsOnly(agentTurn);
            // (each sentence of the fixture is a pause of its own: every pause is resumed)
            List<VoiceEvent.AudioResumed> resumes = client.events(VoiceEvent.AudioResumed.class);
            assertThat(resumes).hasSameSizeAs(client.events(VoiceEvent.AudioPaused.class));
            VoiceEvent.AudioResumed last = resumes.get(resumes.size() - 1);
            List<TestTalkClient.Received> all = client.received();
            long afterResume = all.subList(lastIndexOf(all, last), all.size()).stream()
                    .filter(TestTalkClient.Received::isAudio).mapToLong(r -> r.audio().length).sum();
            assertThat(Pcm.durationMs(afterResume, 16_000)).as("the rest of the reply, from where it paused")
                    .isEqualTo(done.audioMs() - last.fromMs());
        }
    }

    @Test
    void speechWithoutWordsResumesTheAgent() throws Exception {
        try (TestTalkClient client = connect()) {
            String agentTurn = agentTalking(client, "", 1_000);
            speak(client, Wav.resource("hello-16k.wav"), 800);
            client.await(VoiceEvent.AudioPaused.class, WAIT);
            awaitResumed(client, agentTurn);
            assertFinishedUncleared(client, agentTurn);
        }
    }

    @Test
    void typingWhileTheAgentSpeaksInterruptsIt() throws Exception {
        try (TestTalkClient client = connect()) {
            String agentTurn = agentTalking(client, "", 1_000);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"stop, what time is it?\"}");
            awaitClear(client, agentTurn);
            VoiceEvent.AudioStart next = client.await(VoiceEvent.AudioStart.class,
                    start -> !start.turnId().equals(agentTurn), WAIT);
            assertThat(next.turnId()).isNotEqualTo(agentTurn);
        }
    }

    // ---- the caller

    private static TestTalkClient connect() {
        return TestTalkClient.connect(SharedStack.gatewayPort());
    }

    /** Simulated engines throughout; the recogniser hears {@code heard}, the model says {@link #LONG_REPLY}. */
    private static String session(String heard) {
        return """
                {"type":"session.start","engines":{"vad":"simulated","stt":"simulated","llm":"simulated","tts":"simulated"},
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":0,"llmTtftMs":0,
                 "llmTokensPerSecond":1000,"ttsTtfbMs":0,"ttsRealTimeFactor":0,"transcript":"%s","reply":"%s"}}"""
                .formatted(heard, LONG_REPLY);
    }

    /** The same, but the reply streams from the stack's fake model server (the {@code openai} engine). */
    private static String openAiSession(String heard) {
        return """
                {"type":"session.start","engines":{"vad":"simulated","stt":"simulated","llm":"openai","tts":"simulated"},
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":0,"ttsTtfbMs":0,"ttsRealTimeFactor":0,
                 "transcript":"%s"}}""".formatted(heard);
    }

    /** Starts the agent talking: a typed question, its long reply playing for {@code playMs}. */
    private static String agentTalking(TestTalkClient client, String heard, long playMs) throws Exception {
        client.sendJson(session(heard));
        client.sendJson("{\"type\":\"text.input\",\"text\":\"tell me a story\"}");
        String agentTurn = client.await(VoiceEvent.AudioStart.class, WAIT).turnId();
        Thread.sleep(playMs);
        return agentTurn;
    }

    /** A spoken question while the agent is silent: at 4× real time (nothing is paced yet), then 1 s of silence. */
    private static void ask(TestTalkClient client, Wav question) throws Exception {
        client.streamPcm(question.pcm(), question.sampleRate(), 20, 4.0);
        client.streamPcm(silence(question.sampleRate(), 1_000), question.sampleRate(), 20, 4.0);
    }

    private static void speak(TestTalkClient client, Wav speech, long silenceMs) throws Exception {
        speak(client, speech.pcm(), speech.sampleRate(), silenceMs);
    }

    /** The caller's microphone: {@code pcm} at real time in 20 ms chunks, then {@code silenceMs} of silence. */
    private static void speak(TestTalkClient client, byte[] pcm, int sampleRate, long silenceMs) throws Exception {
        client.streamPcm(pcm, sampleRate, 20, 1.0);
        client.streamPcm(silence(sampleRate, silenceMs), sampleRate, 20, 1.0);
    }

    private static byte[] silence(int sampleRate, long ms) {
        return new byte[(int) (sampleRate * 2 * ms / 1000)];
    }

    // ---- what the caller gets

    private static VoiceEvent.AudioClear awaitClear(TestTalkClient client, String agentTurn) throws Exception {
        VoiceEvent.AudioClear clear = client.await(VoiceEvent.AudioClear.class, WAIT);
        assertThat(clear.turnId()).isEqualTo(agentTurn);
        return clear;
    }

    private static VoiceEvent.AudioResumed awaitResumed(TestTalkClient client, String agentTurn) throws Exception {
        VoiceEvent.AudioResumed resumed = client.await(VoiceEvent.AudioResumed.class, WAIT);
        assertThat(resumed.turnId()).isEqualTo(agentTurn);
        return resumed;
    }

    /** The caller's speech over {@code agentTurn} is a turn of its own, and its answer starts; its turn id. */
    private static String awaitNextAnswer(TestTalkClient client, String agentTurn) throws Exception {
        String callerTurn = poll(() -> {
            List<TestTalkClient.Received> all = client.received();
            return all.subList(TestTalkClient.indexOf(all, VoiceEvent.AudioStart.class, agentTurn), all.size()).stream()
                    .filter(r -> !r.isAudio() && r.event() instanceof VoiceEvent.SpeechStarted)
                    .map(r -> r.event().turnId()).findFirst().orElse(null);
        }, "speech over the agent's turn " + agentTurn);
        assertThat(callerTurn).isNotEqualTo(agentTurn);
        assertThat(client.await(VoiceEvent.AudioStart.class, start -> start.turnId().equals(callerTurn), WAIT))
                .isNotNull();
        return callerTurn;
    }

    /** The agent's reply played to its end and nothing cleared it. */
    private static VoiceEvent.AudioDone assertFinishedUncleared(TestTalkClient client, String agentTurn)
            throws Exception {
        VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, WAIT);
        assertThat(done.turnId()).isEqualTo(agentTurn);
        assertThat(client.events(VoiceEvent.AudioClear.class)).isEmpty();
        return done;
    }

    /** The model server's {@code index}th stream to end (counting from the server's start), once it has. */
    private static FakeOpenAiServer.Stream awaitStream(FakeOpenAiServer model, int index) throws Exception {
        return poll(() -> model.streams().size() > index ? model.streams().get(index) : null,
                "a stream " + index + " of the model server to end; ended: " + model.streams());
    }

    private static <T> T poll(Supplier<T> found, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("waited " + WAIT + " for " + what);
    }

    private static int lastIndexOf(List<TestTalkClient.Received> all, VoiceEvent event) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!all.get(i).isAudio() && all.get(i).event() == event) {
                return i;
            }
        }
        throw new AssertionError("not received: " + event);
    }

    private static List<String> tokens(String text) {
        String[] words = text.split(" ");
        return Arrays.stream(words).map(word -> word == words[0] ? word : " " + word).toList();
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
