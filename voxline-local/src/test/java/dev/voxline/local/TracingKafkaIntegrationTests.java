package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.otlp.OtlpTraceReceiver;
import dev.voxline.loadtest.otlp.OtlpTraceReceiver.ReceivedSpan;
import dev.voxline.loadtest.otlp.SpanTree;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One turn is one trace, across every service and through the real broker: the spans the six services export over
 * OTLP (to a local receiver, {@link SharedStack#traces()}) share the turn's trace id, hang under one root
 * {@code voice.turn} with the parent links of the pipeline's order, and include each Kafka hop on the critical path.
 */
class TracingKafkaIntegrationTests {

    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<String> SERVICES = Set.of("gateway-service", "vad-service", "stt-service",
            "llm-service", "tts-service", "metrics-service");

    @Test
    void aSpokenTurnIsOneTraceFromVadToPlaybackAcrossEveryService() throws Exception {
        Wav wav = Wav.resource("question-16k.wav");
        String sessionId;
        VoiceEvent.TurnMetrics report;
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(PipelineScenarios.fastSession("what time is it in paris", "It is noon in Paris."));
            sessionId = client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT).sessionId();
            client.streamPcm(wav.pcm(), wav.sampleRate(), 20, 4.0);
            client.streamPcm(new byte[wav.sampleRate() * 2], wav.sampleRate(), 20, 4.0);
            report = client.await(VoiceEvent.TurnMetrics.class, TURN_TIMEOUT);
        }
        assertThat(report.traceId()).as("turn.metrics names its trace").matches("[0-9a-f]{32}");

        List<ReceivedSpan> trace = awaitTrace(report.traceId(), "voice.turn", "vad.speech", "stt.transcribe",
                "llm.end_of_turn", "llm.generate", "tts.synthesize", "gateway.playback", "metrics.turn_report",
                "hop voice.audio.in", "hop voice.speech", "hop voice.transcripts", "hop voice.replies",
                "hop voice.downlink");
        System.out.println("spoken turn " + report.turnId() + ", trace " + report.traceId() + ":\n"
                + SpanTree.render(trace));

        assertConnected(trace);
        ReceivedSpan root = only(trace, "voice.turn");
        assertThat(root.service()).isEqualTo("vad-service");
        assertThat(root.isRoot()).isTrue();
        assertThat(trace).filteredOn(ReceivedSpan::isRoot).containsExactly(root);
        assertThat(trace).extracting(ReceivedSpan::service).containsAll(SERVICES);
        assertThat(parentName(trace, "vad.speech")).isEqualTo("voice.turn");
        assertThat(parentName(trace, "hop voice.audio.in")).isEqualTo("vad.speech");
        assertThat(parentName(trace, "stt.transcribe")).isEqualTo("voice.turn");
        assertThat(parentName(trace, "llm.end_of_turn")).isEqualTo("stt.transcribe");
        assertThat(parentName(trace, "llm.generate")).isEqualTo("stt.transcribe");
        assertThat(parentName(trace, "tts.synthesize")).isEqualTo("llm.generate");
        assertThat(parentName(trace, "gateway.playback")).isEqualTo("tts.synthesize");
        assertThat(parentName(trace, "metrics.turn_report")).isEqualTo("gateway.playback");
        assertThat(trace).filteredOn(span -> span.name().equals("hop voice.replies"))
                .allSatisfy(hop -> assertThat(parent(trace, hop).name()).isEqualTo("llm.generate"));
        assertThat(trace).filteredOn(span -> span.name().startsWith("hop "))
                .allSatisfy(hop -> assertThat(Double.parseDouble(hop.attribute("voice.hop_ms")))
                        .isGreaterThanOrEqualTo(0));

        ReceivedSpan generate = only(trace, "llm.generate");
        assertThat(generate.attributes()).containsEntry("gen_ai.system", "simulated")
                .containsEntry("gen_ai.operation.name", "chat")
                .containsKeys("gen_ai.request.model", "gen_ai.usage.input_tokens", "voice.llm.ttft_ms");
        assertThat(Integer.parseInt(generate.attribute("gen_ai.usage.output_tokens"))).isPositive();
        assertThat(only(trace, "tts.synthesize").attributes()).containsKey("voice.tts.ttfb_ms");
        assertThat(only(trace, "gateway.playback").attributes()).containsKey("voice.e2e_ms");
        // every Voxline span names the session and the turn (the binder's own consumer spans in metrics-service do
        // not); none carries what was said (privacy: off by default)
        String finalSessionId = sessionId;
        assertThat(trace).filteredOn(span -> !span.name().endsWith(" process") && !span.name().endsWith(" send"))
                .allSatisfy(span -> assertThat(span.attributes())
                .containsEntry("voice.session_id", finalSessionId)
                .containsEntry("voice.turn_id", report.turnId()));
        assertThat(trace).allSatisfy(span -> assertThat(span.attributes().values())
                .noneMatch(value -> value.toLowerCase().contains("paris")));
        // the root lasts the whole turn: from the speech to the end of playback
        assertThat(root.endNanos()).isGreaterThanOrEqualTo(only(trace, "gateway.playback").startNanos());
    }

    @Test
    void aTypedTurnStartsItsTraceAtTheGateway() throws Exception {
        VoiceEvent.TurnMetrics report;
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(PipelineScenarios.fastSession(null, "Typed answer."));
            client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"a typed question\"}");
            report = client.await(VoiceEvent.TurnMetrics.class, TURN_TIMEOUT);
        }
        assertThat(report.traceId()).matches("[0-9a-f]{32}");
        List<ReceivedSpan> trace = awaitTrace(report.traceId(), "voice.turn", "llm.end_of_turn", "llm.generate",
                "tts.synthesize", "gateway.playback", "metrics.turn_report", "hop voice.transcripts");
        System.out.println("typed turn " + report.turnId() + ":\n" + SpanTree.render(trace));

        assertConnected(trace);
        ReceivedSpan root = only(trace, "voice.turn");
        assertThat(root.service()).isEqualTo("gateway-service");
        assertThat(trace).filteredOn(ReceivedSpan::isRoot).containsExactly(root);
        assertThat(parentName(trace, "llm.generate")).isEqualTo("voice.turn");
        assertThat(parentName(trace, "tts.synthesize")).isEqualTo("llm.generate");
        assertThat(parentName(trace, "gateway.playback")).isEqualTo("tts.synthesize");
        assertThat(trace).noneMatch(span -> span.name().equals("stt.transcribe"));
    }

    @Test
    void aTurnThatFailsInOneStageIsStillOneTraceWithTheFailureMarked() throws Exception {
        String turnId;
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson("""
                    {"type":"session.start","engines":{"llm":"simulated","tts":"simulated"},
                     "simulation":{"llmTtftMs":0,"llmTokensPerSecond":1000,"reply":"This will not be spoken.",
                     "fault":"tts.fail"}}""");
            client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"say something\"}");
            turnId = client.await(VoiceEvent.Error.class, TURN_TIMEOUT).turnId();
        }
        assertThat(turnId).isNotNull();
        OtlpTraceReceiver receiver = SharedStack.traces();
        String failedTurn = turnId;
        List<ReceivedSpan> spans = receiver.await(all -> all.stream().anyMatch(span ->
                span.name().equals("tts.synthesize") && failedTurn.equals(span.attribute("voice.turn_id"))
                        && span.error()), EXPORT_TIMEOUT);
        String traceId = spans.stream().filter(span -> failedTurn.equals(span.attribute("voice.turn_id")))
                .findFirst().orElseThrow().traceId();
        List<ReceivedSpan> trace = awaitTrace(traceId, "voice.turn", "llm.generate", "tts.synthesize");
        System.out.println("failed turn " + turnId + ":\n" + SpanTree.render(trace));

        assertConnected(trace);
        assertThat(only(trace, "tts.synthesize").error()).isTrue();
        assertThat(only(trace, "llm.generate").error()).isFalse();
        assertThat(parentName(trace, "tts.synthesize")).isEqualTo("llm.generate");
        assertThat(only(trace, "voice.turn").service()).isEqualTo("gateway-service");
    }

    private static List<ReceivedSpan> awaitTrace(String traceId, String... names) throws InterruptedException {
        OtlpTraceReceiver receiver = SharedStack.traces();
        try {
            receiver.await(all -> {
                Set<String> seen = all.stream().filter(span -> span.traceId().equals(traceId))
                        .map(ReceivedSpan::name).collect(Collectors.toSet());
                return seen.containsAll(List.of(names));
            }, EXPORT_TIMEOUT);
        } catch (IllegalStateException timedOut) {
            throw new AssertionError("trace " + traceId + " lacks some of " + List.of(names) + " after "
                    + EXPORT_TIMEOUT.toSeconds() + " s; it has:\n" + SpanTree.render(receiver.trace(traceId)));
        }
        return receiver.trace(traceId);
    }

    /** Every span's parent is in the trace, except the root's. */
    private static void assertConnected(List<ReceivedSpan> trace) {
        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        assertThat(trace).filteredOn(span -> !span.isRoot())
                .allSatisfy(span -> assertThat(ids).as("parent of %s (%s)", span.name(), span.service())
                        .contains(span.parentSpanId()));
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String name) {
        List<ReceivedSpan> named = trace.stream().filter(span -> span.name().equals(name)).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }

    private static ReceivedSpan parent(List<ReceivedSpan> trace, ReceivedSpan span) {
        Map<String, ReceivedSpan> byId = trace.stream()
                .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
        return byId.get(span.parentSpanId());
    }

    private static String parentName(List<ReceivedSpan> trace, String name) {
        ReceivedSpan parent = parent(trace, only(trace, name));
        assertThat(parent).as("parent of %s", name).isNotNull();
        return parent.name();
    }
}
