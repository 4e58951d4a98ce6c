package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.Ids;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.PackedFrames;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.config.GatewayProperties;
import dev.voxline.gateway.echo.EchoSuppressor;
import dev.voxline.gateway.turn.TurnSequencer;
import dev.voxline.kafka.LogContext;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.TurnSpans;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.WallClock;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * One caller's connection: the session's lifecycle, its input audio on its way to voice.audio.in, its typed input,
 * and everything on its way back (through the {@link TurnSequencer} into the {@link OutboundQueue}).
 *
 * <p>Three threads touch a session — the socket's event loop (client frames), the downlink poll thread and the
 * pacing ticker — so every entry point is {@code synchronized}; each does a bounded amount of in-memory work and
 * never blocks on I/O (Kafka sends are asynchronous, socket writes go through the queue). A failure while handling
 * one message becomes an {@code error} event and the session goes on.
 *
 * <p>The turn clock (DESIGN.md §3) is kept here: a voice turn's end of speech is its last {@code speech.ended}
 * (or, without one, the arrival of the last voiced frame); a typed turn's is when {@code text.input} arrived. The
 * turn the agent starts itself ({@code agent.turn}, an idle prompt) is clocked like a typed one, from the agent's
 * decision. The first reply audio frame leaving the outbound queue into the socket is the turn's first audio; when
 * the turn's audio ends ({@code audio.done} / {@code audio.clear} leaving the queue, or no audio at all) the gateway
 * publishes {@code metrics.turn} on voice.metrics.
 */
public final class GatewaySession {

    private static final Logger log = LoggerFactory.getLogger(GatewaySession.class);

    static final Duration TICK = Duration.ofMillis(10);
    private static final int REMEMBERED_CLOCKS = 64;
    private static final int MIN_SAMPLE_RATE = 8_000;
    private static final int MAX_SAMPLE_RATE = 48_000;
    private static final Set<String> VAD_PROFILES = Set.of(SessionConfig.DEFAULT_VAD_PROFILE, "high-accuracy");
    private static final String PIPELINE_RATE = Integer.toString(AudioFormat.PIPELINE_RATE);
    /** Upper bound of every turnTaking duration (and word count): ten minutes. */
    private static final int MAX_TURN_TAKING_MS = 600_000;

    private final String id;
    private final SessionRoute route;
    private final GatewayProperties properties;
    private final VoiceTransport transport;
    private final LongSupplier clockMs;
    private final Scheduler scheduler;
    private final OutboundQueue outbound;
    private final FrameArrivals arrivals = new FrameArrivals(FrameArrivals.DEFAULT_CAPACITY);
    private final LongSupplier clockMicros;
    private final VoiceTracing tracing;
    /** Typed turns start here, so their {@code voice.turn} root spans are this session's to end. */
    private final TurnSpans typedTurns;
    /** The turn clock of recent turns, oldest first. */
    private final Map<String, TurnClock> clocks = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TurnClock> eldest) {
            return size() > REMEMBERED_CLOCKS;
        }
    };
    private final JsonCodec codec = JsonCodec.get();

    private SessionConfig config;
    private InputFramer framer;
    private UplinkPacker packer;
    /** Null when the echo gate is off for this session. */
    private EchoSuppressor echo;
    private final IntSupplier activeSessions;
    private TurnSequencer sequencer;
    private boolean ended;
    private Disposable ticker;
    private ClientMessage.PlaybackPosition playbackPosition;
    private ClientMessage.ClientLatency clientLatency;
    /** When the playing reply was paused by the caller's speech, and when that speech was detected (epoch µs). */
    private long pausedAtUs;
    private long pausedDetectedUs;

    public GatewaySession(String id, int downlinkPartition, GatewayProperties properties, VoiceTransport transport,
                          LongSupplier clockMs, Scheduler scheduler) {
        this(id, downlinkPartition, properties, transport, clockMs, scheduler, WallClock::micros, () -> 1,
                VoiceTracing.NOOP);
    }

    /**
     * {@code clockMicros}: wall-clock epoch µs, for the turn clock's instants; {@code activeSessions}: how many
     * sessions this gateway instance holds (how big its uplink records are depends on it); {@code tracing}: where
     * typed turns' traces start and every reply's {@code gateway.playback} span goes.
     */
    public GatewaySession(String id, int downlinkPartition, GatewayProperties properties, VoiceTransport transport,
                          LongSupplier clockMs, Scheduler scheduler, LongSupplier clockMicros,
                          IntSupplier activeSessions, VoiceTracing tracing) {
        this.id = id;
        this.tracing = tracing;
        this.typedTurns = new TurnSpans(tracing, id);
        this.activeSessions = activeSessions;
        this.clockMicros = clockMicros;
        this.route = new SessionRoute(id, downlinkPartition, null);
        this.properties = properties;
        this.transport = transport;
        this.clockMs = clockMs;
        this.scheduler = scheduler;
        this.outbound = new OutboundQueue(properties.outboundQueueFrames(), this::onSlowConsumer);
    }

    public String id() {
        return id;
    }

    public int downlinkPartition() {
        return route.downlinkPartition();
    }

    public OutboundQueue outbound() {
        return outbound;
    }

    // ---- from the client

    /** A text frame; {@code utf8Bytes} is its size on the wire. */
    public synchronized void onText(String json, int utf8Bytes) {
        if (ended) {
            return;
        }
        try {
            if (utf8Bytes > properties.maxJsonBytes()) {
                error(null, ErrorCodes.FRAME_TOO_LARGE, "text frame of " + utf8Bytes + " bytes is over the limit of "
                        + properties.maxJsonBytes() + " bytes");
                return;
            }
            ClientMessage message;
            try {
                message = codec.decodeClientMessage(json);
            } catch (JsonCodec.CodecException e) {
                error(null, e.code(), e.getMessage());
                return;
            }
            onMessage(message);
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** A binary frame: caller audio at the session's input rate; {@code arrivalMicros} is when it arrived. */
    public synchronized void onBinary(byte[] pcm, long arrivalMicros) {
        if (ended) {
            return;
        }
        try {
            if (pcm.length > properties.maxFrameBytes()) {
                error(null, ErrorCodes.FRAME_TOO_LARGE, "audio frame of " + pcm.length
                        + " bytes is over the limit of " + properties.maxFrameBytes() + " bytes");
                return;
            }
            if (pcm.length % 2 != 0) {
                error(null, ErrorCodes.INVALID_AUDIO_FRAME, "audio frame of " + pcm.length
                        + " bytes is not a whole number of 16-bit samples");
                return;
            }
            if (pcm.length == 0) {
                return;
            }
            ensureStarted();
            String agentSpeaking = Boolean.toString(sequencer.agentSpeaking(clockMs.getAsLong()));
            framer.accept(pcm, (seq, frame) -> {
                arrivals.record(seq, arrivalMicros);
                if (echo != null) {
                    echo.silenceIfEcho(seq, frame, arrivalMicros);
                }
                packer.accept(seq, frame, arrivalMicros, (firstSeq, packed, frameArrivals) ->
                        transport.publishAudio(Topics.AUDIO_IN, route, packed, Map.of(
                                VoxHeaders.SEQ, Long.toString(firstSeq),
                                VoxHeaders.ARRIVAL_US, PackedFrames.arrivalsHeader(frameArrivals),
                                VoxHeaders.AGENT_SPEAKING, agentSpeaking,
                                VoxHeaders.SAMPLE_RATE, PIPELINE_RATE)));
            });
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** The socket closed (by the client, or after the session ended). Idempotent. */
    public synchronized void onSocketClosed() {
        if (!ended) {
            ended = true;
            if (config != null) {
                transport.publish(Topics.CONTROL, route, new VoiceEvent.SessionEnded(id, "socket closed"));
            }
            log.info("session {} closed by the client", id);
        }
        outbound.complete();
        stopTicker();
        endTraces("session ended");
    }

    private void onMessage(ClientMessage message) {
        if (message instanceof ClientMessage.SessionStart start) {
            onSessionStart(start);
        } else if (message instanceof ClientMessage.TextInput text) {
            onTextInput(text);
        } else if (message instanceof ClientMessage.Interrupt interrupt) {
            onInterrupt(interrupt);
        } else if (message instanceof ClientMessage.PlaybackPosition position) {
            if (!validTurnReport("playback.position", position.turnId(), "playedMs", position.playedMs())) {
                return;
            }
            playbackPosition = position;
            if (sequencer != null) {
                sequencer.onPlaybackPosition(position.turnId(), position.playedMs());
            }
        } else if (message instanceof ClientMessage.ClientLatency latency) {
            if (!validTurnReport("client.latency", latency.turnId(), "e2eMs", latency.e2eMs())) {
                return;
            }
            clientLatency = latency;
        } else if (message instanceof ClientMessage.SessionEnd end) {
            endByClient(end.reason() != null ? end.reason() : "client");
        }
    }

    /**
     * A client report about a turn must name the turn and carry a non-negative {@code field}; otherwise the client
     * is told, and the report is ignored.
     */
    private boolean validTurnReport(String type, String turnId, String field, Number amount) {
        if (turnId == null || amount == null || amount.doubleValue() < 0) {
            error(turnId, ErrorCodes.INVALID_MESSAGE,
                    type + " needs \"turnId\" and a non-negative \"" + field + "\"");
            return false;
        }
        return true;
    }

    private void onSessionStart(ClientMessage.SessionStart start) {
        if (config != null) {
            error(null, ErrorCodes.SESSION_ALREADY_STARTED, "the session has already started");
            return;
        }
        int input = start.inputSampleRate() != null ? start.inputSampleRate() : AudioFormat.PIPELINE_RATE;
        int output = start.outputSampleRate() != null ? start.outputSampleRate() : AudioFormat.PIPELINE_RATE;
        if (!validRate(input) || !validRate(output)) {
            error(null, ErrorCodes.INVALID_MESSAGE, "sample rates must be between " + MIN_SAMPLE_RATE + " and "
                    + MAX_SAMPLE_RATE + " Hz");
            return;
        }
        String vadProfile = start.vadProfile() != null ? start.vadProfile() : SessionConfig.DEFAULT_VAD_PROFILE;
        if (!VAD_PROFILES.contains(vadProfile)) {
            error(null, ErrorCodes.INVALID_MESSAGE, "unknown vadProfile \"" + vadProfile + "\"; use one of "
                    + VAD_PROFILES);
            return;
        }
        // An engine the client does not name stays null: each stage then applies its own configured default.
        SessionConfig.Engines engines = start.engines() != null ? start.engines() : SessionConfig.Engines.unnamed();
        SessionConfig.Simulation simulation = start.simulation();
        if (simulation != null && !properties.allowTestSettings()) {
            error(null, ErrorCodes.TEST_SETTINGS_DISABLED,
                    "simulation settings are disabled on this server; the session starts without them");
            simulation = null;
        }
        String invalid = invalidTurnTaking(start.turnTaking());
        if (invalid != null) {
            error(null, ErrorCodes.INVALID_MESSAGE, invalid);
            return;
        }
        start(new SessionConfig(input, output, vadProfile, engines, start.voice(), simulation, start.turnTaking()));
    }

    /** Why a {@code turnTaking} object cannot be used, or null when it can. */
    static String invalidTurnTaking(SessionConfig.TurnTaking turnTaking) {
        if (turnTaking == null) {
            return null;
        }
        Map<String, Integer> durations = new LinkedHashMap<>();
        durations.put("minInterruptionMs", turnTaking.minInterruptionMs());
        durations.put("minInterruptionWords", turnTaking.minInterruptionWords());
        durations.put("falseInterruptionTimeoutMs", turnTaking.falseInterruptionTimeoutMs());
        durations.put("minEndpointingDelayMs", turnTaking.minEndpointingDelayMs());
        durations.put("maxEndpointingDelayMs", turnTaking.maxEndpointingDelayMs());
        durations.put("userIdleTimeoutMs", turnTaking.userIdleTimeoutMs());
        for (Map.Entry<String, Integer> entry : durations.entrySet()) {
            if (entry.getValue() != null && (entry.getValue() < 0 || entry.getValue() > MAX_TURN_TAKING_MS)) {
                return "turnTaking." + entry.getKey() + " must be between 0 and " + MAX_TURN_TAKING_MS;
            }
        }
        if (turnTaking.minEndpointingDelayMs() != null && turnTaking.maxEndpointingDelayMs() != null
                && turnTaking.minEndpointingDelayMs() > turnTaking.maxEndpointingDelayMs()) {
            return "turnTaking.minEndpointingDelayMs must not be over maxEndpointingDelayMs";
        }
        return null;
    }

    private static boolean validRate(int rate) {
        return rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE;
    }

    private void onTextInput(ClientMessage.TextInput input) {
        String text = input.text();
        if (text == null || text.isBlank()) {
            error(null, ErrorCodes.INVALID_MESSAGE, "text.input needs a non-blank \"text\"");
            return;
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > properties.maxTextChars()) {
            error(null, ErrorCodes.TEXT_TOO_LONG, "text.input of " + chars + " characters is over the limit of "
                    + properties.maxTextChars());
            return;
        }
        long receivedUs = clockMicros.getAsLong();
        ensureStarted();
        String turnId = Ids.turnId();
        TurnClock clock = clock(turnId);
        clock.typed = true;
        clock.speechEndUs = receivedUs;
        // Typing while the agent speaks (or prepares its reply) interrupts it, as speaking over it would.
        stopAgent(null, "typed", "the caller typed while the agent spoke", turnId, receivedUs,
                VoiceEvent.InterruptionMetrics.TYPED);
        VoiceEvent.TranscriptFinal transcript = new VoiceEvent.TranscriptFinal(id, turnId, text, true, receivedUs);
        transport.publish(Topics.TRANSCRIPTS, tracing.route(route, typedTurns.start(turnId, receivedUs)), transcript);
        log.info("session {} turn {}: typed input", id, turnId);
        log.debug("session {} turn {}: typed \"{}\"", id, turnId, text);
        sequencer.onEvent(transcript, clockMs.getAsLong());
        scheduleTicks();
    }

    private void onInterrupt(ClientMessage.Interrupt interrupt) {
        if (sequencer == null) {
            return;
        }
        stopAgent(interrupt.turnId(), "client", "client sent interrupt", null, clockMicros.getAsLong(),
                VoiceEvent.InterruptionMetrics.CLIENT);
    }

    /**
     * Stops the agent's turns ({@code turnId} null: all that play or are being prepared, except the caller's
     * {@code interruptingTurnId}): their audio is cleared at once and the stages are told on voice.control.
     */
    private void stopAgent(String turnId, String source, String reason, String interruptingTurnId, long detectedUs,
                           String kind) {
        List<String> cleared = sequencer.clear(turnId, interruptingTurnId, clockMs.getAsLong());
        for (String stopped : cleared) {
            transport.publish(Topics.CONTROL, route,
                    new VoiceEvent.Interrupt(id, stopped, source, reason, interruptingTurnId, detectedUs));
            reportInterruption(stopped, kind, detectedUs);
            log.info("session {} turn {}: interrupted ({})", id, stopped, source);
        }
        scheduleTicks();
    }

    /**
     * {@code metrics.interruption}, from the decision to the agent's last audio byte handed to the socket: to
     * metrics-service, and to the client, which sees where the time of its interruption went.
     */
    private void reportInterruption(String turnId, String kind, long detectedUs) {
        long stoppedUs = pausedAtUs > 0 ? pausedAtUs : clockMicros.getAsLong();
        double stopDelayMs = detectedUs > 0 ? Math.max(0, stoppedUs - detectedUs) / 1000.0 : -1;
        VoiceEvent.InterruptionMetrics metrics = new VoiceEvent.InterruptionMetrics(id, turnId, kind, stopDelayMs);
        transport.publish(Topics.METRICS, route, metrics);
        send(metrics);
    }

    private void endByClient(String reason) {
        ended = true;
        if (config != null) {
            transport.publish(Topics.CONTROL, route, new VoiceEvent.SessionEnded(id, reason));
        }
        send(new VoiceEvent.SessionEnded(id, reason));
        outbound.complete();
        stopTicker();
        endTraces("session ended");
        log.info("session {} ended by the client ({})", id, reason);
    }

    private void ensureStarted() {
        if (config == null) {
            start(SessionConfig.defaults());
        }
    }

    private void start(SessionConfig resolved) {
        config = resolved;
        framer = new InputFramer(resolved.inputSampleRate());
        packer = new UplinkPacker(() -> properties.uplinkFramesPerRecord(activeSessions.getAsInt()),
                properties.maxUplinkFramesPerRecord(), InputFramer.FRAME_BYTES);
        echo = EchoSuppressor.forSession(id, properties.echoGate(), resolved.turnTaking());
        AudioFormat outputFormat = AudioFormat.pcm16(resolved.outputSampleRate());
        sequencer = new TurnSequencer(id, outputFormat, properties.playbackLead(), properties.turnOrderTimeout(),
                new TurnSequencer.Output() {
                    @Override
                    public void event(VoiceEvent event) {
                        send(event);
                    }

                    @Override
                    public void audio(String turnId, byte[] frame) {
                        sendAudio(turnId, frame);
                    }

                    @Override
                    public void endedWithoutAudio(String turnId) {
                        reportTurn(turnId, false, 0);
                    }

                    @Override
                    public void generationChanged(String turnId) {
                        clock(turnId).restartReply();
                    }

                    @Override
                    public void playbackStarted(String turnId, String generationId) {
                        transport.publish(Topics.CONTROL, route, new VoiceEvent.PlaybackStarted(id, turnId,
                                generationId));
                    }

                    @Override
                    public void playbackStopped(String turnId, String generationId, long audioMs, long playedMs,
                                                boolean interrupted, String heardText) {
                        transport.publish(Topics.CONTROL, route, new VoiceEvent.PlaybackStopped(id, turnId,
                                generationId, audioMs, playedMs, interrupted, heardText));
                    }
                });
        VoiceEvent.SessionStarted started = new VoiceEvent.SessionStarted(id,
                AudioFormat.pcm16(resolved.inputSampleRate()), outputFormat, resolved);
        transport.publish(Topics.CONTROL, route, started);
        send(started);
        log.info("session {} started on downlink partition {}: input {} Hz, output {} Hz, vad {}", id,
                route.downlinkPartition(), resolved.inputSampleRate(), resolved.outputSampleRate(),
                resolved.vadProfile());
    }

    // ---- from the pipeline

    /** A voice.downlink record for this session (poll thread). */
    public synchronized void onDownlink(VoiceRecord record) {
        if (ended || sequencer == null) {
            return;
        }
        tracing.hop(record);
        try (LogContext ignored = LogContext.of(record)) {
            long now = clockMs.getAsLong();
            if (record.isAudio()) {
                int rate = (int) record.longHeader(VoxHeaders.SAMPLE_RATE, config.outputSampleRate());
                String turnId = record.header(VoxHeaders.TURN);
                if (turnId != null) {
                    TurnClock clock = clock(turnId);
                    if (!clock.replyAudioSeen) {
                        clock.replyAudioSeen = true;
                        long hop = record.hopMicros();
                        clock.hopMs = hop >= 0 ? hop / 1000.0 : -1;
                        startPlayback(clock, record, turnId);
                    }
                }
                sequencer.onAudio(turnId, record.header(VoxHeaders.GENERATION), record.value(), rate,
                        record.header(VoxHeaders.TEXT), now);
            } else {
                VoiceEvent event = record.event();
                if (event instanceof VoiceEvent.SpeechEnded ended && ended.turnId() != null) {
                    // The turn's clock starts at its LAST pause: speech that resumed moved the end of speech.
                    long speechEndUs = ended.speechEndUs() > 0 ? ended.speechEndUs()
                            : arrivals.arrivalMicros(ended.lastVoicedSeq());
                    clock(ended.turnId()).speechEndUs = Math.max(0, speechEndUs);
                }
                if (event instanceof VoiceEvent.AgentTurn agentTurn && agentTurn.turnId() != null) {
                    TurnClock clock = clock(agentTurn.turnId());
                    clock.typed = true; // no speech to end: the clock starts at the agent's decision
                    clock.speechEndUs = Math.max(0, agentTurn.decidedUs());
                    log.info("session {} turn {}: the agent's own turn ({}, {})", id, agentTurn.turnId(),
                            agentTurn.reason(), agentTurn.prompt());
                }
                if (event instanceof VoiceEvent.InterruptPending pending) {
                    onInterruptPending(pending, now);
                } else if (event instanceof VoiceEvent.Interrupt interrupt) {
                    onPipelineInterrupt(interrupt);
                } else {
                    if (event instanceof VoiceEvent.InterruptResumed) {
                        pausedAtUs = 0;
                    }
                    sequencer.onEvent(event, now);
                }
            }
            scheduleTicks();
        } catch (JsonCodec.CodecException e) {
            log.warn("session {}: undecodable downlink record {}@{} ({}) dropped: {}", id, record.partition(),
                    record.offset(), record.type(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("session {}: failed on downlink record {}@{} ({})", id, record.partition(), record.offset(),
                    record.type(), e);
        }
    }

    /** vad-service heard the caller speak over the agent: its voice stops now, the rest is kept for a resume. */
    private void onInterruptPending(VoiceEvent.InterruptPending pending, long nowMs) {
        String paused = sequencer.pause(nowMs);
        if (paused != null) {
            pausedAtUs = clockMicros.getAsLong();
            log.info("session {} turn {}: paused by the caller's speech (turn {}), {} ms after it was detected", id,
                    paused, pending.turnId(), (pausedAtUs - pending.detectedUs()) / 1000.0);
            pausedDetectedUs = pending.detectedUs();
        }
    }

    /** llm-service (words) or another stage stopped the agent: clear its audio for good. */
    private void onPipelineInterrupt(VoiceEvent.Interrupt interrupt) {
        long detectedUs = pausedAtUs > 0 && pausedDetectedUs > 0 ? pausedDetectedUs : interrupt.detectedUs();
        String kind = interrupt.interruptingTurnId() != null ? VoiceEvent.InterruptionMetrics.BARGE_IN
                : interrupt.source();
        List<String> cleared = sequencer.clear(interrupt.turnId(), interrupt.interruptingTurnId(),
                clockMs.getAsLong());
        for (String turnId : cleared) {
            reportInterruption(turnId, kind, detectedUs);
        }
        pausedAtUs = 0;
        pausedDetectedUs = 0;
    }

    // ---- pacing ticker

    /** Runs the sequencer's clock while it has time-dependent work; stops as soon as it has none. */
    private void scheduleTicks() {
        if (ticker == null && !ended && sequencer != null && sequencer.needsTick()) {
            ticker = Flux.interval(TICK, scheduler).subscribe(tick -> tick());
        }
    }

    synchronized void tick() {
        if (ended || sequencer == null) {
            stopTicker();
            return;
        }
        try {
            sequencer.tick(clockMs.getAsLong());
        } catch (RuntimeException e) {
            log.error("session {}: pacing failed", id, e);
        }
        if (!sequencer.needsTick()) {
            stopTicker();
        }
    }

    private void stopTicker() {
        if (ticker != null) {
            ticker.dispose();
            ticker = null;
        }
    }

    // ---- to the client

    private void send(VoiceEvent event) {
        if (echo != null && (event instanceof VoiceEvent.AudioPaused || event instanceof VoiceEvent.AudioClear)) {
            echo.replyDropped(clockMicros.getAsLong());
        }
        if (event instanceof VoiceEvent.AudioDone done) {
            String turnId = done.turnId();
            outbound.offer(new TrackedFrame(codec.encodeToString(event), sentUs -> onAudioEndSent(turnId, false,
                    done.audioMs())));
        } else if (event instanceof VoiceEvent.AudioClear clear) {
            String turnId = clear.turnId();
            outbound.offer(new TrackedFrame(codec.encodeToString(event), sentUs -> onAudioEndSent(turnId, true,
                    clear.playedMs())));
        } else {
            outbound.offer(codec.encodeToString(event));
        }
    }

    private void sendAudio(String turnId, byte[] frame) {
        TurnClock clock = clock(turnId);
        clock.audioBytes += frame.length;
        if (echo != null) {
            echo.replySent(frame, config.outputSampleRate(), clockMicros.getAsLong());
        }
        if (clock.firstAudioQueued) {
            outbound.offer(frame);
            return;
        }
        clock.firstAudioQueued = true;
        int reply = clock.reply;
        outbound.offer(new TrackedFrame(frame, sentUs -> onFirstAudioSent(turnId, reply, sentUs)));
    }

    // ---- the turn clock

    /** One turn's clock; wall-clock epoch µs, 0 when unknown. */
    private static final class TurnClock {
        boolean typed;
        long speechEndUs;
        boolean replyAudioSeen;
        double hopMs = -1;
        boolean firstAudioQueued;
        long firstAudioUs;
        long audioBytes;
        boolean reported;
        /** Counts the turn's answers: a first-frame callback of an earlier (superseded) answer is ignored. */
        int reply;

        /** {@code gateway.playback} of the current answer, and the route carrying its context. */
        Span playback = Span.NOOP;
        SessionRoute route;

        /** A newer generation answers the turn: its first audio, not the earlier answer's, ends the clock. */
        void restartReply() {
            playback.tag("voice.playback.outcome", "superseded");
            playback.end();
            playback = Span.NOOP;
            route = null;
            reply++;
            replyAudioSeen = false;
            hopMs = -1;
            firstAudioQueued = false;
            firstAudioUs = 0;
        }
    }

    /**
     * {@code gateway.playback}: from the reply's first audio record reaching this gateway to its last byte (or its
     * clear) handed to the socket, a child of the span that made the audio ({@code tts.synthesize}).
     */
    private void startPlayback(TurnClock clock, VoiceRecord record, String turnId) {
        clock.playback = tracing.startSpan("gateway.playback", record.header(VoxHeaders.TRACEPARENT), id, turnId,
                record.polledMicros());
        clock.playback.tag("voice.generation_id", String.valueOf(record.header(VoxHeaders.GENERATION)));
        clock.route = tracing.route(route, clock.playback);
    }

    /** The session is over: every span it holds open ends. */
    private void endTraces(String how) {
        typedTurns.endAll(how);
        for (TurnClock clock : clocks.values()) {
            if (!clock.reported) {
                clock.playback.tag("voice.playback.outcome", how);
                clock.playback.end();
            }
        }
    }

    private TurnClock clock(String turnId) {
        return clocks.computeIfAbsent(turnId, key -> new TurnClock());
    }

    /** The turn's first reply audio frame left the outbound queue into the socket (socket's thread). */
    private synchronized void onFirstAudioSent(String turnId, int reply, long sentUs) {
        TurnClock clock = clocks.get(turnId);
        if (clock != null && clock.reply == reply && clock.firstAudioUs == 0) {
            clock.firstAudioUs = sentUs;
            clock.playback.event("first audio written", sentUs, TimeUnit.MICROSECONDS);
        }
    }

    /** {@code audio.done} / {@code audio.clear} left the queue: everything before it, first audio included, too. */
    private synchronized void onAudioEndSent(String turnId, boolean interrupted, long playedMs) {
        reportTurn(turnId, interrupted, playedMs);
    }

    private void reportTurn(String turnId, boolean interrupted, long playedMs) {
        TurnClock clock = clock(turnId);
        if (clock.reported || config == null) {
            return;
        }
        clock.reported = true;
        long audioMs = clock.audioBytes * 1000 / (config.outputSampleRate() * 2L);
        Double e2eMs = clock.firstAudioUs > 0 && clock.speechEndUs > 0
                ? (clock.firstAudioUs - clock.speechEndUs) / 1000.0 : null;
        VoiceEvent.GatewayTurnMetrics metrics = new VoiceEvent.GatewayTurnMetrics(id, turnId, e2eMs,
                clock.speechEndUs, clock.firstAudioUs, clock.typed, interrupted, audioMs,
                interrupted ? playedMs : audioMs, clock.hopMs);
        log.debug("session {} turn {}: e2e {} ms (interrupted {})", id, turnId, e2eMs, interrupted);
        SessionRoute traced = clock.route != null ? clock.route : tracing.route(route, typedTurns.get(turnId));
        transport.publish(Topics.METRICS, traced, metrics);
        if (e2eMs != null) {
            clock.playback.tag("voice.e2e_ms", e2eMs);
        }
        clock.playback.tag("voice.playback.audio_ms", audioMs);
        clock.playback.tag("voice.playback.interrupted", interrupted);
        clock.playback.end();
        typedTurns.end(turnId, 0, interrupted ? "interrupted" : "played");
    }

    private void error(String turnId, String code, String message) {
        log.info("session {}: {} — {}", id, code, message);
        send(new VoiceEvent.Error(id, turnId, code, message));
    }

    private void internalError(RuntimeException e) {
        log.error("session {}: failed to handle a client message", id, e);
        error(null, ErrorCodes.INTERNAL, "the gateway failed to handle the message");
    }

    /** The client stopped reading and its queue filled up (called from {@link OutboundQueue#offer}). */
    private void onSlowConsumer() {
        log.warn("session {}: client is not reading; outbound queue of {} frames is full — closing the session",
                id, properties.outboundQueueFrames());
        if (!ended) {
            ended = true;
            if (config != null) {
                transport.publish(Topics.CONTROL, route, new VoiceEvent.SessionEnded(id, ErrorCodes.SLOW_CONSUMER));
            }
        }
        stopTicker();
    }

    /** The {@code error} event sent (best effort) to a slow consumer just before its socket is closed. */
    public String slowConsumerError() {
        return codec.encodeToString(new VoiceEvent.Error(id, null, ErrorCodes.SLOW_CONSUMER,
                "the client did not read fast enough; its outbound queue of " + properties.outboundQueueFrames()
                        + " frames was full"));
    }

    // ---- for later issues (turn clock, playback reports) and tests

    public synchronized long frameArrivalMicros(long seq) {
        return arrivals.arrivalMicros(seq);
    }

    public synchronized ClientMessage.PlaybackPosition lastPlaybackPosition() {
        return playbackPosition;
    }

    public synchronized ClientMessage.ClientLatency lastClientLatency() {
        return clientLatency;
    }

    public synchronized boolean started() {
        return config != null;
    }
}
