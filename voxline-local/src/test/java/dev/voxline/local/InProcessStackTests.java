package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.KafkaVoiceTransport;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.WavReader;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TalkSession;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./voxline up --transport in-process}: the same services and simulated engines in one JVM, sharing one
 * in-memory transport, no broker and no metrics-service. Its own stack (not {@link SharedStack}): no Kafka at all.
 */
class InProcessStackTests {

    private static LocalStack stack;

    /**
     * Stopped when the test JVM exits, like {@link SharedStack}, not after this class: closing a WebFlux server
     * context disposes Reactor Netty's global event loops, which the shared stack's gateway in this JVM still uses.
     */
    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStackOptions.forTests().withTransport(LocalStackOptions.Transport.IN_PROCESS));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "in-process-stack-stop"));
    }

    @Test
    void noBrokerNoMetricsServiceAndNoKafkaHealthCheck() throws Exception {
        assertThat(stack.broker()).isEmpty();
        assertThat(stack.bootstrapServers()).isNull();
        assertThat(stack.inProcessTransport()).isPresent();
        assertThat(stack.services()).extracting(RunningService::name).containsExactly("gateway-service",
                "vad-service", "stt-service", "llm-service", "tts-service");
        for (RunningService service : stack.services()) {
            assertThat(service.context().getBeansOfType(VoiceTransport.class).values())
                    .as(service.name()).containsExactly(stack.inProcessTransport().get());
            assertThat(service.context().getBeansOfType(KafkaVoiceTransport.class)).as(service.name()).isEmpty();
            assertThat(service.context().containsBean("kafkaHealthIndicator")).as(service.name()).isFalse();
        }
        RunningService gateway = stack.service("gateway-service");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void aTypedTurnIsAnswered() {
        SessionOptions options = SessionOptions.defaults().withSimulation(Timings.ZERO.simulation(null,
                "It is noon in Paris."));
        try (TalkSession session = TalkSession.connect(talkUri(), options)) {
            TalkResult result = session.run(TalkRequest.text("what time is it").withMetricsWait(Duration.ZERO));

            assertThat(result.ok()).as("%s", result).isTrue();
            TurnResult turn = result.turns().get(0);
            assertThat(turn.transcript()).isEqualTo("what time is it");
            assertThat(turn.replyText()).isEqualTo("It is noon in Paris.");
            assertThat(turn.replyAudioMs()).isGreaterThan(300);
            assertThat(turn.clientE2eMs()).isNotNull();
            assertThat(turn.metrics()).as("no metrics-service in this mode").isNull();
        }
    }

    @Test
    void aSpokenTurnIsAnswered() throws Exception {
        SpeechAudio question;
        try (InputStream in = getClass().getResourceAsStream("/audio/question-16k.wav")) {
            question = WavReader.read(in, "question-16k.wav");
        }
        SessionOptions options = SessionOptions.defaults().withSimulation(Timings.ZERO.simulation(
                "what time is it in paris", "It is noon in Paris."));
        try (TalkSession session = TalkSession.connect(talkUri(), options)) {
            TalkResult result = session.run(TalkRequest.audio(question).withSpeed(4.0)
                    .withTrailingSilence(Duration.ofMillis(1000)).withMetricsWait(Duration.ZERO));

            assertThat(result.ok()).as("%s", result).isTrue();
            assertThat(result.turns()).hasSize(1);
            TurnResult turn = result.turns().get(0);
            assertThat(turn.transcript()).isEqualTo("what time is it in paris");
            assertThat(turn.replyText()).isEqualTo("It is noon in Paris.");
            assertThat(turn.audioDone()).isTrue();
            assertThat(turn.clientE2eMs()).isNotNull().isPositive();
        }
    }

    private static URI talkUri() {
        return URI.create("ws://127.0.0.1:" + stack.gatewayPort() + "/v1/talk");
    }
}
