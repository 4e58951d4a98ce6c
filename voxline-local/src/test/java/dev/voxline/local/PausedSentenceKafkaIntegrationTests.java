package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.PauseSet;
import dev.voxline.loadtest.audio.PhraseSet;
import dev.voxline.loadtest.audio.SpeechAudio;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caller pauses in the middle of a sentence and the agent waits: with the real engines (Silero VAD, Vosk, the
 * built-in assistant, MaryTTS — the embedded defaults), sentences from the pause set are streamed in real time and
 * followed by silence. No reply text, no reply audio may arrive before the caller has finished speaking, the turn is
 * answered exactly once, and what was heard and answered holds the words on both sides of the pause. The contrast:
 * with endpointing off ({@code minEndpointingDelayMs = maxEndpointingDelayMs = 300}, every pause the VAD hears ends
 * the turn) a sentence is answered in its pause — so these tests can fail.
 */
class PausedSentenceKafkaIntegrationTests {

    /** Generous: the engines are warm (see {@link #loadTheModels()}), but the machine is shared. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** After the speech: more than the 3 s the end-of-turn decision waits at most. */
    private static final long SILENCE_MS = 4_000;

    /** A spoken turn first, so Silero, Vosk and MaryTTS are loaded before anything is timed in real time. */
    @BeforeAll
    static void loadTheModels() throws Exception {
        SpeechAudio hello = PhraseSet.shipped().phrases().stream().filter(p -> p.name().equals("q01-hello.wav"))
                .findFirst().orElseThrow().audio();
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson("{\"type\":\"session.start\"}");
            client.await(VoiceEvent.SessionStarted.class, Duration.ofSeconds(120));
            client.streamPcm(hello.pcm(), SpeechAudio.SAMPLE_RATE, 20, 1.0);
            client.streamPcm(new byte[SpeechAudio.SAMPLE_RATE * 2], SpeechAudio.SAMPLE_RATE, 20, 0);
            client.await(VoiceEvent.AudioDone.class, Duration.ofSeconds(120));
        }
    }

    @Test
    void aSyntheticSentenceWithAPauseAfterAConjunctionIsAnsweredOnceAfterItEnds() throws Exception {
        // "My name is Anna and … I live in Berlin." (espeak-ng, a 440 ms pause after "and")
        Turn turn = speak(PauseSet.shipped(PauseSet.Origin.SYNTHETIC).item("p02-name-and.wav"), null);

        turn.assertAnsweredOnceAfterTheSpeech();
        turn.assertHeardAndAnswered("name", "berlin");
    }

    /*
     * Human pauses inside a sentence, after clauses the rules cannot decide ("one two three four five", "and so my
     * fellow americans", "ask not"): the undecided wait (at least 800 ms, longer for a caller whose pauses are long)
     * must outlast a 590 ms pause plus the ~100 ms the VAD needs to hear speech again. When the wait was 1.25 × the
     * learned pauses (320 ms of "testing … one" → 400 ms), both were answered in the pause whenever Vosk's final
     * arrived inside it.
     */
    @Test
    void aHumanRecordingWithAPauseInTheCountingIsAnsweredOnceAfterItEnds() throws Exception {
        // "Testing one two three four five, … five four three two one." (8 kHz radio speech, a 590 ms pause)
        Turn turn = speak(PauseSet.shipped(PauseSet.Origin.HUMAN).item("vk5qi-counting.wav"), null);

        turn.assertAnsweredOnceAfterTheSpeech();
        turn.assertHeardAndAnswered("testing", "two one");
    }

    @Test
    void kennedysPausesShortenedTo550MsAreWaitedFor() throws Exception {
        // edited: the recording's pauses of 1 170, 1 100 and 590 ms cut down to 550 ms each (PauseSet.Item
        // withPausesShortenedTo): "And so, my fellow Americans, … ask not … what your country can do for you, …"
        PauseSet.Item jfk = PauseSet.shipped(PauseSet.Origin.HUMAN).item("jfk.wav").withPausesShortenedTo(550);
        Turn turn = speak(jfk, null);

        turn.assertAnsweredOnceAfterTheSpeech();
        turn.assertHeardAndAnswered("americans", "country");
    }

    /*
     * The contrast. Its pause is made 2 s long: a final transcript that arrives after the caller went on never ends
     * the turn, and Vosk's final for "my name is anna and" takes about a second here, longer than the sentence's own
     * 440 ms pause — with that pause, no endpointing setting could answer early on this machine.
     */
    @Test
    void withEndpointingOffASentenceIsAnsweredInItsPause() throws Exception {
        PauseSet.Item longPause = PauseSet.shipped(PauseSet.Origin.SYNTHETIC).item("p02-name-and.wav")
                .withPauseLength(0, 2_000);
        Turn turn = speak(longPause, "{\"minEndpointingDelayMs\":300,\"maxEndpointingDelayMs\":300}");

        assertThat(turn.firstReplyNanos()).as("a reply while the caller was still speaking")
                .isLessThan(turn.speechEndNanos);
    }

    @Test
    void theSameLongPauseAfterAConjunctionIsWaitedForByDefault() throws Exception {
        PauseSet.Item longPause = PauseSet.shipped(PauseSet.Origin.SYNTHETIC).item("p02-name-and.wav")
                .withPauseLength(0, 2_000);
        Turn turn = speak(longPause, null);

        turn.assertAnsweredOnceAfterTheSpeech();
        turn.assertHeardAndAnswered("name", "berlin");
    }

    /** Streams {@code item} in real time and then silence, and waits until the agent has finished answering. */
    private static Turn speak(PauseSet.Item item, String turnTaking) throws Exception {
        TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort());
        try (client) {
            client.sendJson("{\"type\":\"session.start\"" + (turnTaking == null ? "" : ",\"turnTaking\":" + turnTaking)
                    + "}");
            client.await(VoiceEvent.SessionStarted.class, TIMEOUT);
            long start = System.nanoTime();
            client.streamPcm(item.pcm(), SpeechAudio.SAMPLE_RATE, 20, 1.0);
            client.streamPcm(new byte[(int) (SpeechAudio.SAMPLE_RATE * 2 * SILENCE_MS / 1000)],
                    SpeechAudio.SAMPLE_RATE, 20, 1.0);
            client.await(VoiceEvent.AudioDone.class, TIMEOUT);
            Thread.sleep(500); // anything a second answer would send
            Turn turn = new Turn(item, start + item.speechEndMs() * 1_000_000L, client.received());
            System.out.printf(Locale.ROOT, "paused sentence %s (pauses %s, speech ends %d ms)%s: heard \"%s\", "
                            + "first reply %+.0f ms after the speech, %d answer(s)%n", item.name(), item.pauses(),
                    item.speechEndMs(), turnTaking == null ? "" : " turnTaking " + turnTaking, turn.heard(),
                    (turn.firstReplyNanos() - turn.speechEndNanos) / 1e6, turn.answers().size());
            return turn;
        }
    }

    /** What the client received for one spoken sentence, with the instant its speech ended (client clock). */
    private record Turn(PauseSet.Item item, long speechEndNanos, List<TestTalkClient.Received> received) {

        private static boolean isReply(TestTalkClient.Received r) {
            return r.isAudio() || r.event() instanceof VoiceEvent.ReplyDelta
                    || r.event() instanceof VoiceEvent.ReplyDone || r.event() instanceof VoiceEvent.AudioStart;
        }

        long firstReplyNanos() {
            return received.stream().filter(Turn::isReply).mapToLong(TestTalkClient.Received::nanos).min()
                    .orElseThrow(() -> new AssertionError("no reply at all; received " + types()));
        }

        List<VoiceEvent.ReplyDone> answers() {
            return received.stream().filter(r -> r.event() instanceof VoiceEvent.ReplyDone)
                    .map(r -> (VoiceEvent.ReplyDone) r.event()).toList();
        }

        String heard() {
            return received.stream().filter(r -> r.event() instanceof VoiceEvent.TranscriptFinal)
                    .map(r -> ((VoiceEvent.TranscriptFinal) r.event()).text()).collect(Collectors.joining(" | "));
        }

        void assertAnsweredOnceAfterTheSpeech() {
            List<TestTalkClient.Received> early = received.stream()
                    .filter(r -> isReply(r) && r.nanos() < speechEndNanos).toList();
            assertThat(early).as("%s: reply events or audio before the caller finished (heard \"%s\"): %s",
                    item.name(), heard(), early.stream().map(TestTalkClient.Received::type).distinct().toList())
                    .isEmpty();
            assertThat(answers()).as("%s: answers (heard \"%s\")", item.name(), heard()).hasSize(1);
            assertThat(received.stream().filter(r -> r.event() instanceof VoiceEvent.AudioStart))
                    .as("%s: reply audio streams", item.name()).hasSize(1);
            assertThat(received.stream().filter(r -> r.event() instanceof VoiceEvent.TranscriptFinal)
                    .map(r -> r.event().turnId()).distinct()).as("%s: one caller turn", item.name()).hasSize(1);
        }

        void assertHeardAndAnswered(String before, String after) {
            String heard = heard().toLowerCase(Locale.ROOT);
            assertThat(heard).as("%s: transcript", item.name()).contains(before).contains(after);
            assertThat(heard.indexOf(before)).as("%s: \"%s\" before \"%s\"", item.name(), before, after)
                    .isLessThan(heard.lastIndexOf(after));
            String answer = answers().get(0).text().toLowerCase(Locale.ROOT);
            assertThat(answer).as("%s: the answer is for everything said", item.name()).contains(before)
                    .contains(after);
        }

        private List<String> types() {
            return TestTalkClient.dedupeConsecutive(received.stream().map(TestTalkClient.Received::type).toList());
        }
    }
}
