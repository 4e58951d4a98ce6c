package dev.voxline.gateway.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ordering rules of docs/protocol.md §6 on a virtual clock. */
class TurnSequencerTests {

    private static final String S = "sess_test";
    private static final String A = "turn_a";
    private static final String B = "turn_b";
    private static final int RATE = 16_000;

    /** What the client sees: event type names ("type:turn") and "bin:turn" for each reply-audio frame. */
    private final List<String> seen = new ArrayList<>();
    private final List<VoiceEvent> events = new ArrayList<>();
    private final TurnSequencer sequencer = new TurnSequencer(S, AudioFormat.pcm16(RATE), Duration.ofMillis(200),
            Duration.ofSeconds(2), new TurnSequencer.Output() {
                @Override
                public void event(VoiceEvent event) {
                    events.add(event);
                    seen.add(JsonCodec.typeName(event) + ":" + event.turnId());
                }

                @Override
                public void audio(String turnId, byte[] frame) {
                    seen.add("bin:" + turnId);
                }
            });

    private static byte[] audioMs(int ms) {
        return new byte[RATE / 1000 * ms * 2];
    }

    private void run(long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t += 10) {
            sequencer.tick(t);
        }
    }

    private void typedTurn(String turnId, long nowMs) {
        sequencer.onEvent(new VoiceEvent.TranscriptFinal(S, turnId, "hi", true), nowMs);
    }

    private List<String> withoutAudio() {
        return seen.stream().filter(s -> !s.startsWith("bin:")).toList();
    }

    private long framesOf(String turnId) {
        return seen.stream().filter(("bin:" + turnId)::equals).count();
    }

    @Test
    void anEarlyReplyDeltaIsHeldUntilTheFinalTranscript() {
        sequencer.onEvent(new VoiceEvent.SpeechStarted(S, A, 1_000, 50), 0);
        sequencer.onEvent(new VoiceEvent.SpeechEnded(S, A, 2_000, 100), 5);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "Hel"), 10);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "lo"), 11);
        assertThat(seen).containsExactly("speech.started:" + A, "speech.ended:" + A);
        assertThat(sequencer.needsTick()).isTrue();

        sequencer.onEvent(new VoiceEvent.TranscriptFinal(S, A, "hi", false), 20);

        assertThat(seen).containsExactly("speech.started:" + A, "speech.ended:" + A, "transcript.final:" + A,
                "reply.delta:" + A, "reply.delta:" + A);
        assertThat(events.subList(3, 5)).extracting(e -> ((VoiceEvent.ReplyDelta) e).text())
                .containsExactly("Hel", "lo");
    }

    @Test
    void speechAndTranscriptEventsWaitForTheirPredecessors() {
        sequencer.onEvent(new VoiceEvent.TranscriptFinal(S, A, "hi", false), 0);
        sequencer.onEvent(new VoiceEvent.TranscriptInterim(S, A, "h"), 1);
        sequencer.onEvent(new VoiceEvent.SpeechEnded(S, A, 2_000, 100), 2);
        assertThat(seen).isEmpty();

        sequencer.onEvent(new VoiceEvent.SpeechStarted(S, A, 1_000, 50), 3);

        assertThat(seen).containsExactly("speech.started:" + A, "transcript.interim:" + A, "speech.ended:" + A,
                "transcript.final:" + A);
    }

    @Test
    void aHeldEventIsReleasedWhenThePredecessorNeverComes() {
        sequencer.onEvent(new VoiceEvent.SpeechStarted(S, A, 1_000, 50), 0);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "Hel"), 100);

        run(100, 2_090);
        assertThat(seen).containsExactly("speech.started:" + A);

        sequencer.tick(2_100);
        assertThat(seen).containsExactly("speech.started:" + A, "reply.delta:" + A);

        // The turn is no longer waiting: what follows goes straight through.
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "lo"), 2_101);
        assertThat(seen).endsWith("reply.delta:" + A, "reply.delta:" + A);
        assertThat(sequencer.needsTick()).isFalse();
    }

    @Test
    void anErrorForTheTurnReleasesItsHeldEventsAtOnce() {
        sequencer.onEvent(new VoiceEvent.SpeechStarted(S, A, 1_000, 50), 0);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "Hel"), 10);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hel", 0, true), 11);

        sequencer.onEvent(new VoiceEvent.Error(S, A, ErrorCodes.STAGE_FAILED, "stt failed"), 20);

        assertThat(seen).containsExactly("speech.started:" + A, "error:" + A, "reply.delta:" + A,
                "reply.done:" + A);
    }

    @Test
    void sessionLevelEventsAreNeverHeld() {
        sequencer.onEvent(new VoiceEvent.Error(S, null, ErrorCodes.STAGE_FAILED, "vad failed"), 0);
        assertThat(seen).containsExactly("error:null");
    }

    @Test
    void audioIsBracketedByAudioStartAndAudioDone() {
        typedTurn(A, 0);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "Hello"), 10);
        sequencer.onAudio(A, audioMs(400), RATE, 20);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hello", 1, false), 30);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 400, false), 40);
        run(40, 1_000);

        assertThat(seen.get(0)).isEqualTo("transcript.final:" + A);
        assertThat(seen.indexOf("audio.start:" + A)).isLessThan(seen.indexOf("bin:" + A));
        assertThat(seen.lastIndexOf("bin:" + A)).isLessThan(seen.indexOf("audio.done:" + A));
        assertThat(seen.get(seen.size() - 1)).isEqualTo("audio.done:" + A);
        assertThat(framesOf(A)).isEqualTo(20);
        assertThat(((VoiceEvent.AudioStart) events.get(2)).format()).isEqualTo(AudioFormat.pcm16(RATE));
        assertThat(((VoiceEvent.AudioDone) events.get(events.size() - 1)).audioMs()).isEqualTo(400);
        assertThat(sequencer.needsTick()).isFalse();
    }

    @Test
    void aTurnTheAgentStartsPlaysAtOnceWithoutATranscript() {
        sequencer.onEvent(new VoiceEvent.AgentTurn(S, A, VoiceEvent.AgentTurn.USER_IDLE, 1, 0), 0);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g", "Are you still there?"), 1);
        sequencer.onAudio(A, audioMs(400), RATE, 5);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Are you still there?", 1, false), 6);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 400, false), 7);

        // nothing is held for a final transcript that never comes (the order timeout is 2 s)
        assertThat(withoutAudio()).containsExactly("agent.turn:" + A, "reply.delta:" + A, "audio.start:" + A,
                "reply.done:" + A);
        run(10, 500);
        assertThat(framesOf(A)).isEqualTo(20);
        assertThat(seen.get(seen.size() - 1)).isEqualTo("audio.done:" + A);
    }

    @Test
    void aTurnTheAgentStartsWaitsForThePreviousTurnAndIsInterruptible() {
        typedTurn(B, 0);
        sequencer.onAudio(B, audioMs(400), RATE, 0);
        sequencer.onEvent(new VoiceEvent.AgentTurn(S, A, VoiceEvent.AgentTurn.USER_IDLE, 1, 0), 10);
        sequencer.onAudio(A, audioMs(400), RATE, 10);
        assertThat(seen).doesNotContain("audio.start:" + A);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, B, "g", "Hi", 1, false), 20);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, B, "g", 400, false), 20);
        run(20, 500);
        assertThat(seen).containsSubsequence("audio.done:" + B, "audio.start:" + A, "bin:" + A);

        assertThat(sequencer.clear(null, 500)).containsExactly(A);
        assertThat(seen.get(seen.size() - 1)).isEqualTo("audio.clear:" + A);
    }

    @Test
    void audioThatArrivesBeforeTheFinalTranscriptWaitsForIt() {
        sequencer.onEvent(new VoiceEvent.SpeechStarted(S, A, 1_000, 50), 0);
        sequencer.onEvent(new VoiceEvent.SpeechEnded(S, A, 2_000, 100), 0);
        sequencer.onAudio(A, audioMs(100), RATE, 10);
        run(10, 500);
        assertThat(seen).doesNotContain("audio.start:" + A, "bin:" + A);

        sequencer.onEvent(new VoiceEvent.TranscriptFinal(S, A, "hi", false), 510);

        assertThat(seen).containsSubsequence("transcript.final:" + A, "audio.start:" + A, "bin:" + A);
    }

    @Test
    void audioDoneWaitsForReplyDoneSynthesisDoneAndTheLastFrame() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(1_000), RATE, 0);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 1_000, false), 0);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hello", 1, false), 0);

        run(0, 770);
        assertThat(framesOf(A)).isEqualTo(49);
        assertThat(seen).doesNotContain("audio.done:" + A); // reply and synthesis are done, pacing is not

        sequencer.tick(780);
        assertThat(framesOf(A)).isEqualTo(50);
        assertThat(seen.get(seen.size() - 1)).isEqualTo("audio.done:" + A);
    }

    @Test
    void audioDoneWaitsForReplyDoneEvenWhenAllAudioIsOut() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(200), RATE, 0);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 200, false), 0);
        run(0, 1_000);
        assertThat(framesOf(A)).isEqualTo(10);
        assertThat(seen).doesNotContain("audio.done:" + A);

        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hi", 1, false), 1_000);
        assertThat(seen).endsWith("reply.done:" + A, "audio.done:" + A);
    }

    @Test
    void audioDoneWaitsForSynthesisDone() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(200), RATE, 0);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hi", 1, false), 0);
        run(0, 500);
        assertThat(seen).doesNotContain("audio.done:" + A);

        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 200, false), 500);
        assertThat(seen.get(seen.size() - 1)).isEqualTo("audio.done:" + A);
    }

    @Test
    void aSecondTurnsAudioWaitsForTheFirstTurnsAudioDone() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(500), RATE, 0);
        typedTurn(B, 10);
        sequencer.onAudio(B, audioMs(300), RATE, 10);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, B, "g2", "B", 1, false), 10);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, B, "g2", 300, false), 10);
        run(10, 1_000);
        assertThat(seen).doesNotContain("audio.start:" + B, "bin:" + B);

        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g1", "A", 1, false), 1_000);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g1", 500, false), 1_000);
        run(1_000, 3_000);

        assertThat(seen).containsSubsequence("audio.start:" + A, "audio.done:" + A, "audio.start:" + B,
                "audio.done:" + B);
        assertThat(seen.lastIndexOf("bin:" + A)).isLessThan(seen.indexOf("audio.start:" + B));
        assertThat(seen.indexOf("bin:" + B)).isGreaterThan(seen.indexOf("audio.start:" + B));
        assertThat(framesOf(A)).isEqualTo(25);
        assertThat(framesOf(B)).isEqualTo(15);
    }

    @Test
    void clearDropsTheRestOfTheTurn() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(2_000), RATE, 0);
        run(0, 500);
        long framesBefore = framesOf(A);
        assertThat(sequencer.agentSpeaking(500)).isTrue();

        List<String> cleared = sequencer.clear(null, 500);

        assertThat(cleared).containsExactly(A);
        assertThat(seen.get(seen.size() - 1)).isEqualTo("audio.clear:" + A);
        VoiceEvent.AudioClear clear = (VoiceEvent.AudioClear) events.get(events.size() - 1);
        assertThat(clear.playedMs()).isEqualTo(500);
        assertThat(clear.reason()).isEqualTo("interrupted");
        assertThat(sequencer.agentSpeaking(501)).isFalse();

        // Late audio and completion events of the cleared turn produce nothing audible.
        sequencer.onAudio(A, audioMs(500), RATE, 510);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 2_500, true), 520);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hel", 1, true), 530);
        run(530, 3_000);
        List<String> after = seen.subList(seen.indexOf("audio.clear:" + A) + 1, seen.size());
        assertThat(after).containsExactly("reply.done:" + A);
        assertThat(framesOf(A)).isEqualTo(framesBefore);
        assertThat(sequencer.droppedAudioChunks()).isEqualTo(1);
    }

    @Test
    void clearingTheFirstTurnLetsTheNextOneStart() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(2_000), RATE, 0);
        typedTurn(B, 0);
        sequencer.onAudio(B, audioMs(100), RATE, 0);

        assertThat(sequencer.clear(A, 100)).containsExactly(A);

        assertThat(seen).containsSubsequence("audio.clear:" + A, "audio.start:" + B, "bin:" + B);
    }

    @Test
    void anInterruptFromThePipelineClearsLikeAClientInterrupt() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(1_000), RATE, 0);

        sequencer.onEvent(new VoiceEvent.Interrupt(S, A, "vad", "barge-in"), 100);

        assertThat(seen).endsWith("audio.clear:" + A);
        assertThat(seen).doesNotContain("interrupt:" + A);
    }

    @Test
    void clearWithNothingPendingDoesNothing() {
        assertThat(sequencer.clear(null, 0)).isEmpty();
        typedTurn(A, 0);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hi", 0, false), 1);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 0, false), 2);
        assertThat(sequencer.clear(null, 3)).isEmpty();
        assertThat(seen).doesNotContain("audio.clear:" + A);
    }

    @Test
    void aPendingTurnWithoutAudioYetCanBeCleared() {
        typedTurn(A, 0);
        assertThat(sequencer.clear(null, 10)).containsExactly(A);
        sequencer.onAudio(A, audioMs(100), RATE, 20);
        assertThat(seen).containsExactly("transcript.final:" + A, "audio.clear:" + A);
    }

    @Test
    void aCancelledSynthesisWithoutAudioSendsNoAudioEvents() {
        typedTurn(A, 0);
        sequencer.onEvent(new VoiceEvent.Error(S, A, ErrorCodes.STAGE_FAILED, "tts failed"), 5);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "Hi", 1, true), 10);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 0, true), 20);
        run(20, 3_000);

        assertThat(seen).containsExactly("transcript.final:" + A, "error:" + A, "reply.done:" + A);
    }

    @Test
    void audioStillWaitingWhenSynthesisIsCancelledIsNeverStarted() {
        sequencer.onEvent(new VoiceEvent.SpeechStarted(S, A, 0, 0), 0);
        sequencer.onAudio(A, audioMs(100), RATE, 0); // before its transcript.final
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 100, true), 10);
        sequencer.onEvent(new VoiceEvent.SpeechEnded(S, A, 0, 0), 20);
        sequencer.onEvent(new VoiceEvent.TranscriptFinal(S, A, "hi", false), 20);
        run(20, 3_000);

        assertThat(seen).doesNotContain("audio.start:" + A, "bin:" + A, "audio.done:" + A);
    }

    @Test
    void aTurnWhoseCompletionNeverArrivesDoesNotBlockTheNextOneForever() {
        typedTurn(A, 0);
        sequencer.onAudio(A, audioMs(100), RATE, 0);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "A", 1, false), 0);
        // synthesis.done for A is lost
        typedTurn(B, 50);
        sequencer.onAudio(B, audioMs(100), RATE, 50);
        run(50, 1_500);
        assertThat(seen).doesNotContain("audio.start:" + B);

        run(1_500, 3_000);

        assertThat(seen).containsSubsequence("audio.done:" + A, "audio.start:" + B);
    }

    @Test
    void replyAudioAtAnotherRateIsConvertedToTheOutputRate() {
        typedTurn(A, 0);
        sequencer.onAudio(A, new byte[24_000 * 2 / 5], 24_000, 0); // 200 ms at 24 kHz
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g", 200, false), 0);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g", "A", 1, false), 0);
        run(0, 1_000);

        assertThat(framesOf(A)).isBetween(10L, 11L);
        assertThat(((VoiceEvent.AudioDone) events.get(events.size() - 1)).audioMs()).isBetween(199L, 200L);
    }

    @Test
    void aTypedFinalEchoedOnTheDownlinkIsNotSentTwice() {
        typedTurn(A, 0);
        sequencer.onEvent(new VoiceEvent.TranscriptFinal(S, A, "hi", true), 10);
        assertThat(seen).containsExactly("transcript.final:" + A);
    }

    @Test
    void whenTheCallerGoesOnTheLatestGenerationAnswersTheTurnInTheSameAudio() {
        typedTurn(A, 0);
        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g1", "You said open"), 10);
        sequencer.onAudio(A, "g1", audioMs(1_000), RATE, 20); // plays: 200 ms lead, the rest queued
        run(20, 100);
        long firstAnswerFrames = framesOf(A);
        assertThat(firstAnswerFrames).isPositive();

        // the caller went on: llm cancels g1 in favour of g2; g1's unsent audio is dropped, its late parts ignored
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g1", "You said open", 1, true, "g2"), 110);
        sequencer.onAudio(A, "g1", audioMs(500), RATE, 115);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g1", 1_500, true), 120);
        run(120, 400);
        assertThat(framesOf(A)).isEqualTo(firstAnswerFrames);
        assertThat(withoutAudio()).doesNotContain("audio.done:" + A);

        sequencer.onEvent(new VoiceEvent.ReplyDelta(S, A, "g2", "You said open the window"), 410);
        sequencer.onAudio(A, "g2", audioMs(300), RATE, 420);
        sequencer.onEvent(new VoiceEvent.ReplyDone(S, A, "g2", "You said open the window", 1, false), 430);
        sequencer.onEvent(new VoiceEvent.SynthesisDone(S, A, "g2", 300, false), 440);
        run(440, 1_500);

        assertThat(framesOf(A)).isEqualTo(firstAnswerFrames + 15);
        assertThat(withoutAudio()).containsExactly("transcript.final:" + A, "reply.delta:" + A,
                "audio.start:" + A, "reply.done:" + A, "reply.delta:" + A, "reply.done:" + A, "audio.done:" + A);
        assertThat(sequencer.needsTick()).isFalse();
    }

    @Test
    void anAnswerAfterTheFirstOneFinishedPlayingGetsItsOwnAudio() {
        List<String> changed = new ArrayList<>();
        TurnSequencer withListener = new TurnSequencer(S, AudioFormat.pcm16(RATE), Duration.ofMillis(200),
                Duration.ofSeconds(2), new TurnSequencer.Output() {
                    @Override
                    public void event(VoiceEvent event) {
                        seen.add(JsonCodec.typeName(event) + ":" + event.turnId());
                    }

                    @Override
                    public void audio(String turnId, byte[] frame) {
                        seen.add("bin:" + turnId);
                    }

                    @Override
                    public void generationChanged(String turnId) {
                        changed.add(turnId);
                    }
                });
        withListener.onEvent(new VoiceEvent.TranscriptFinal(S, A, "open", true), 0);
        withListener.onEvent(new VoiceEvent.ReplyDelta(S, A, "g1", "You said open."), 10);
        withListener.onAudio(A, "g1", audioMs(100), RATE, 20);
        withListener.onEvent(new VoiceEvent.ReplyDone(S, A, "g1", "You said open.", 1, false), 30);
        withListener.onEvent(new VoiceEvent.SynthesisDone(S, A, "g1", 100, false), 40);
        for (long t = 40; t <= 500; t += 10) {
            withListener.tick(t);
        }
        assertThat(withoutAudio()).endsWith("audio.done:" + A);

        // finished g1 is superseded by g2 (no cancelled reply.done: g1 had completed)
        withListener.onEvent(new VoiceEvent.ReplyDelta(S, A, "g2", "You said open the window."), 600);
        withListener.onAudio(A, "g2", audioMs(100), RATE, 610);
        withListener.onAudio(A, "g1", audioMs(100), RATE, 615); // a late chunk of g1: dropped
        withListener.onEvent(new VoiceEvent.ReplyDone(S, A, "g2", "You said open the window.", 1, false), 620);
        withListener.onEvent(new VoiceEvent.SynthesisDone(S, A, "g2", 100, false), 630);
        for (long t = 630; t <= 1_200; t += 10) {
            withListener.tick(t);
        }

        assertThat(changed).containsExactly(A);
        assertThat(framesOf(A)).isEqualTo(10);
        assertThat(withoutAudio()).containsExactly("transcript.final:" + A, "reply.delta:" + A, "audio.start:" + A,
                "reply.done:" + A, "audio.done:" + A, "reply.delta:" + A, "audio.start:" + A, "reply.done:" + A,
                "audio.done:" + A);
        assertThat(withListener.droppedAudioChunks()).isEqualTo(1);
    }
}
