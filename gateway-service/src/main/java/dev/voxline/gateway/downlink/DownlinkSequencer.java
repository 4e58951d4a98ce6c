package dev.voxline.gateway.downlink;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.echo.EchoSuppressor;
import dev.voxline.gateway.turn.InterruptionClock;
import dev.voxline.gateway.turn.TurnClock;
import dev.voxline.gateway.turn.TurnSequencer;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything on its way back to one caller once the session has started: voice.downlink records and the gateway's
 * own events go through the {@link TurnSequencer} (order, pacing, pause and clear) into the {@link OutboundQueue};
 * the {@link TurnClock} learns each turn's instants on the way, the {@link EchoSuppressor} what the caller's
 * speaker plays. Stopping the agent (an interruption) is decided here and told to the stages on voice.control.
 * Not thread-safe: the session serialises calls; every method that depends on time takes {@code nowMs}.
 */
public final class DownlinkSequencer {

    private static final Logger log = LoggerFactory.getLogger(DownlinkSequencer.class);

    private final String id;
    private final SessionRoute route;
    private final int outputSampleRate;
    private final VoiceTransport transport;
    private final OutboundQueue outbound;
    private final TurnClock turns;
    private final InterruptionClock interruptions = new InterruptionClock();
    /** Null when the echo gate is off for this session. */
    private final EchoSuppressor echo;
    /** The arrival (epoch µs) of an input frame by seq, -1 when unknown: a pause without VAD's own clock. */
    private final LongUnaryOperator frameArrivals;
    private final LongSupplier clockMicros;
    private final TurnSequencer sequencer;
    private final JsonCodec codec = JsonCodec.get();

    /**
     * {@code playbackLead}: how far reply audio may run ahead of the caller's playback; {@code turnOrderTimeout}: how
     * long an event waits for its predecessor; {@code frameArrivals}: the uplink's input frame arrivals by seq.
     */
    public DownlinkSequencer(SessionRoute route, AudioFormat output, Duration playbackLead, Duration turnOrderTimeout,
                             VoiceTransport transport, OutboundQueue outbound, TurnClock turns, EchoSuppressor echo,
                             LongUnaryOperator frameArrivals, LongSupplier clockMicros) {
        this.id = route.sessionId();
        this.route = route;
        this.outputSampleRate = output.sampleRate();
        this.transport = transport;
        this.outbound = outbound;
        this.turns = turns;
        this.echo = echo;
        this.frameArrivals = frameArrivals;
        this.clockMicros = clockMicros;
        this.sequencer = new TurnSequencer(id, output, playbackLead, turnOrderTimeout, new ToClient());
    }

    /** A voice.downlink record of this session; one that cannot be read or handled is logged and dropped. */
    public void onRecord(VoiceRecord record, long nowMs) {
        try {
            handle(record, nowMs);
        } catch (JsonCodec.CodecException e) {
            log.warn("session {}: undecodable downlink record {}@{} ({}) dropped: {}", id, record.partition(),
                    record.offset(), record.type(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("session {}: failed on downlink record {}@{} ({})", id, record.partition(), record.offset(),
                    record.type(), e);
        }
    }

    private void handle(VoiceRecord record, long nowMs) {
        if (record.isAudio()) {
            int rate = (int) record.longHeader(VoxHeaders.SAMPLE_RATE, outputSampleRate);
            String turnId = record.header(VoxHeaders.TURN);
            if (turnId != null) {
                turns.replyAudioArrived(turnId, record);
            }
            sequencer.onAudio(turnId, record.header(VoxHeaders.GENERATION), record.value(), rate,
                    record.header(VoxHeaders.TEXT), nowMs);
            return;
        }
        VoiceEvent event = record.event();
        if (event instanceof VoiceEvent.SpeechEnded ended && ended.turnId() != null) {
            turns.speechEnded(ended.turnId(), ended.speechEndUs(), frameArrivals.applyAsLong(ended.lastVoicedSeq()));
        }
        if (event instanceof VoiceEvent.AgentTurn agentTurn && agentTurn.turnId() != null) {
            turns.agentTurn(agentTurn.turnId(), agentTurn.decidedUs());
            log.info("session {} turn {}: the agent's own turn ({}, {})", id, agentTurn.turnId(),
                    agentTurn.reason(), agentTurn.prompt());
        }
        if (event instanceof VoiceEvent.InterruptPending pending) {
            onInterruptPending(pending, nowMs);
        } else if (event instanceof VoiceEvent.Interrupt interrupt) {
            onPipelineInterrupt(interrupt, nowMs);
        } else {
            if (event instanceof VoiceEvent.InterruptResumed) {
                interruptions.resumed();
            }
            sequencer.onEvent(event, nowMs);
        }
    }

    /** An event the gateway itself made for the client (a typed turn's transcript), in turn order. */
    public void onGatewayEvent(VoiceEvent event, long nowMs) {
        sequencer.onEvent(event, nowMs);
    }

    /** vad-service heard the caller speak over the agent: its voice stops now, the rest is kept for a resume. */
    private void onInterruptPending(VoiceEvent.InterruptPending pending, long nowMs) {
        String paused = sequencer.pause(nowMs);
        if (paused != null) {
            long pausedAtUs = clockMicros.getAsLong();
            log.info("session {} turn {}: paused by the caller's speech (turn {}), {} ms after it was detected", id,
                    paused, pending.turnId(), (pausedAtUs - pending.detectedUs()) / 1000.0);
            interruptions.paused(pending.detectedUs(), pausedAtUs);
        }
    }

    /** llm-service (words) or another stage stopped the agent: clear its audio for good. */
    private void onPipelineInterrupt(VoiceEvent.Interrupt interrupt, long nowMs) {
        long detectedUs = interruptions.detectedUs(interrupt.detectedUs());
        String kind = interrupt.interruptingTurnId() != null ? VoiceEvent.InterruptionMetrics.BARGE_IN
                : interrupt.source();
        for (String turnId : sequencer.clear(interrupt.turnId(), interrupt.interruptingTurnId(), nowMs)) {
            reportInterruption(turnId, kind, detectedUs);
        }
        interruptions.cleared();
    }

    /**
     * Stops the agent's turns ({@code turnId} null: all that play or are being prepared, except the caller's
     * {@code interruptingTurnId}): their audio is cleared at once and the stages are told on voice.control.
     */
    public void stopAgent(String turnId, String source, String reason, String interruptingTurnId, long detectedUs,
                          String kind, long nowMs) {
        for (String stopped : sequencer.clear(turnId, interruptingTurnId, nowMs)) {
            transport.publish(Topics.CONTROL, route,
                    new VoiceEvent.Interrupt(id, stopped, source, reason, interruptingTurnId, detectedUs));
            reportInterruption(stopped, kind, detectedUs);
            log.info("session {} turn {}: interrupted ({})", id, stopped, source);
        }
    }

    /**
     * {@code metrics.interruption}, from the decision to the agent's last audio byte handed to the socket: to
     * metrics-service, and to the client, which sees where the time of its interruption went.
     */
    private void reportInterruption(String turnId, String kind, long detectedUs) {
        double stopDelayMs = interruptions.stopDelayMs(detectedUs, clockMicros.getAsLong());
        VoiceEvent.InterruptionMetrics metrics = new VoiceEvent.InterruptionMetrics(id, turnId, kind, stopDelayMs);
        transport.publish(Topics.METRICS, route, metrics);
        outbound.offer(codec.encodeToString(metrics));
    }

    /** The caller reports how much of the turn it has played. */
    public void onPlaybackPosition(String turnId, long playedMs) {
        sequencer.onPlaybackPosition(turnId, playedMs);
    }

    /** Whether the caller hears the agent's voice now. */
    public boolean agentSpeaking(long nowMs) {
        return sequencer.agentSpeaking(nowMs);
    }

    /** Moves the pacing clock on: reply frames that are due go out. */
    public void tick(long nowMs) {
        sequencer.tick(nowMs);
    }

    /** Whether something waits for time to pass (paced audio, a held event); else the ticker may stop. */
    public boolean needsTick() {
        return sequencer.needsTick();
    }

    /** The sequencer's ordered output, into the outbound queue. */
    private final class ToClient implements TurnSequencer.Output {

        @Override
        public void event(VoiceEvent event) {
            if (echo != null && (event instanceof VoiceEvent.AudioPaused || event instanceof VoiceEvent.AudioClear)) {
                echo.replyDropped(clockMicros.getAsLong());
            }
            String json = codec.encodeToString(event);
            if (event instanceof VoiceEvent.AudioDone done) {
                // Leaving the queue, it takes everything before it along, first audio included: the turn is over.
                outbound.offer(new TrackedFrame(json, sentUs -> turns.audioEnded(done.turnId(), false,
                        done.audioMs())));
            } else if (event instanceof VoiceEvent.AudioClear clear) {
                outbound.offer(new TrackedFrame(json, sentUs -> turns.audioEnded(clear.turnId(), true,
                        clear.playedMs())));
            } else {
                outbound.offer(json);
            }
        }

        @Override
        public void audio(String turnId, byte[] frame) {
            LongConsumer firstAudioSent = turns.audioQueued(turnId, frame.length);
            if (echo != null) {
                echo.replySent(frame, outputSampleRate, clockMicros.getAsLong());
            }
            outbound.offer(firstAudioSent == null ? frame : new TrackedFrame(frame, firstAudioSent));
        }

        @Override
        public void endedWithoutAudio(String turnId) {
            turns.audioEnded(turnId, false, 0);
        }

        @Override
        public void generationChanged(String turnId) {
            turns.replyRestarted(turnId);
        }

        @Override
        public void playbackStarted(String turnId, String generationId) {
            transport.publish(Topics.CONTROL, route, new VoiceEvent.PlaybackStarted(id, turnId, generationId));
        }

        @Override
        public void playbackStopped(String turnId, String generationId, long audioMs, long playedMs,
                                    boolean interrupted, String heardText) {
            transport.publish(Topics.CONTROL, route, new VoiceEvent.PlaybackStopped(id, turnId, generationId,
                    audioMs, playedMs, interrupted, heardText));
        }
    }
}
