package dev.voxline.stt.stage;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.engine.SttResult;
import dev.voxline.stt.engine.SttSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * voice.speech → voice.transcripts (+ downlink). {@code speech.started} opens an utterance for its turn, the
 * turn's audio feeds it, {@code speech.ended} completes it; the engine's results go out as
 * {@code transcript.interim} / {@code transcript.final}. A failing engine fails that turn only.
 */
public final class SttStage extends SessionStage<SttStage.SttSession> {

    private static final Logger log = LoggerFactory.getLogger(SttStage.class);

    private final SttEngine engine;

    public SttStage(VoiceTransport transport, TopicDeclarer topics, String groupId, SttEngine engine) {
        super(transport, topics, groupId, Topics.SPEECH, List.of(Topics.TRANSCRIPTS));
        this.engine = engine;
    }

    @Override
    protected SttSession open(SessionRoute route) {
        return new SttSession(route);
    }

    /** One session; its utterances by turnId (normally one, but a final may still be pending when the next opens). */
    public final class SttSession implements StageSession {

        private final SessionRoute route;
        private final Map<String, Utterance> utterances = new HashMap<>();
        private SessionConfig.Simulation simulation;
        private boolean closed;

        SttSession(SessionRoute route) {
            this.route = route;
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            simulation = config.simulation();
        }

        @Override
        public void onInput(VoiceRecord record) {
            if (record.isAudio()) {
                Utterance utterance = utterance(record.header(VoxHeaders.TURN));
                if (utterance != null) {
                    utterance.audio.tryEmitNext(record.value());
                }
                return;
            }
            VoiceEvent event = record.event();
            if (event instanceof VoiceEvent.SpeechStarted started) {
                int rate = (int) record.longHeader(VoxHeaders.SAMPLE_RATE, AudioFormat.PIPELINE_RATE);
                open(started.turnId(), rate);
            } else if (event instanceof VoiceEvent.SpeechEnded ended) {
                Utterance utterance = utterance(ended.turnId());
                if (utterance != null) {
                    utterance.audio.tryEmitComplete();
                }
            }
        }

        private synchronized Utterance utterance(String turnId) {
            return turnId == null ? null : utterances.get(turnId);
        }

        private synchronized void open(String turnId, int sampleRate) {
            if (closed || turnId == null || utterances.containsKey(turnId)) {
                return;
            }
            // One utterance listens at a time: one that never heard its pause is finalised now.
            utterances.values().forEach(other -> other.audio.tryEmitComplete());
            Utterance utterance = new Utterance(turnId);
            utterances.put(turnId, utterance);
            utterance.results = engine.transcribe(utterance.audio.asFlux(),
                            new SttSettings(sampleRate, simulation))
                    .subscribe(result -> onResult(utterance, result), error -> onError(utterance, error),
                            () -> finish(utterance));
        }

        private synchronized void onResult(Utterance utterance, SttResult result) {
            if (closed || utterance.finished) {
                return;
            }
            VoiceEvent event;
            if (result.isFinal()) {
                log.info("session {} turn {}: final transcript ({} chars)", route.sessionId(), utterance.turnId,
                        result.text().length());
                log.debug("session {} turn {}: final transcript \"{}\"", route.sessionId(), utterance.turnId,
                        result.text());
                event = new VoiceEvent.TranscriptFinal(route.sessionId(), utterance.turnId, result.text(), false);
            } else {
                event = new VoiceEvent.TranscriptInterim(route.sessionId(), utterance.turnId, result.text());
            }
            transport.publish(Topics.TRANSCRIPTS, route, event);
            transport.toDownlink(route, event);
        }

        private synchronized void onError(Utterance utterance, Throwable error) {
            if (closed || utterance.finished) {
                return;
            }
            log.warn("session {} turn {}: STT failed: {}", route.sessionId(), utterance.turnId, error.toString());
            fail(route, utterance.turnId, error);
            finish(utterance);
        }

        private synchronized void finish(Utterance utterance) {
            utterance.finished = true;
            utterances.remove(utterance.turnId, utterance);
        }

        @Override
        public synchronized void close() {
            closed = true;
            utterances.values().forEach(utterance -> {
                utterance.finished = true;
                if (utterance.results != null) {
                    utterance.results.dispose();
                }
            });
            utterances.clear();
        }
    }

    private static final class Utterance {
        final String turnId;
        final Sinks.Many<byte[]> audio = Sinks.many().unicast().onBackpressureBuffer();
        Disposable results;
        boolean finished;

        Utterance(String turnId) {
            this.turnId = turnId;
        }
    }
}
