package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.OpenMicCall;
import dev.voxline.loadtest.client.ReceivedEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A speakerphone caller without echo cancellation, through the broker with the real engines (Silero VAD, Vosk,
 * MaryTTS): the agent's own voice comes back into the open microphone, attenuated and delayed, while it answers. With
 * the echo gate it must not interrupt itself; without it, the same echo pauses it (the test can fail).
 */
class EchoKafkaIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Longer than the 500 ms of voice that pause the agent, plus the words that would stop it. */
    private static final long LISTEN_MS = 5_000;

    @ParameterizedTest(name = "echo {0} dB after {1} ms, gate {2}")
    @CsvSource({"-6, 60, true", "-12, 100, true", "-20, 140, true", "-12, 100, false"})
    void theAgentsOwnVoiceComingBackDoesNotInterruptIt(double gainDb, int delayMs, boolean gate) {
        SessionConfig.TurnTaking turnTaking = new SessionConfig.TurnTaking(null, null, null, null, null, null, null,
                gate);
        URI url = URI.create("ws://localhost:" + SharedStack.gatewayPort() + "/v1/talk");
        try (OpenMicCall call = OpenMicCall.connect(url, new ClientMessage.SessionStart(16_000, 16_000, null, null,
                null, null, turnTaking, null), WAIT)) {
            int mark = call.mark();
            call.send(new ClientMessage.TextInput("Can you help me, please?")); // a ~10 s answer
            Optional<ReceivedEvent> start = call.await(e -> e.event() instanceof VoiceEvent.AudioStart, mark, WAIT);
            assertThat(start).as("the answer's audio").isPresent();
            String agentTurn = start.get().event().turnId();
            call.echo(new OpenMicCall.Echo(gainDb, delayMs));
            sleep(LISTEN_MS);
            call.echo(null);

            List<ReceivedEvent> during = call.events().subList(mark, call.mark());
            boolean disturbed = during.stream().anyMatch(e -> agentTurn.equals(e.event().turnId())
                    && (e.event() instanceof VoiceEvent.AudioPaused || e.event() instanceof VoiceEvent.AudioClear));
            if (gate) {
                assertThat(disturbed).as("the echo paused or stopped the agent: %s", types(during)).isFalse();
            } else {
                assertThat(disturbed).as("without the gate the echo pauses the agent: %s", types(during)).isTrue();
            }
            call.send(new ClientMessage.Interrupt(null));
        }
    }

    private static List<String> types(List<ReceivedEvent> events) {
        return events.stream().filter(e -> !(e.event() instanceof VoiceEvent.ReplyDelta))
                .map(e -> dev.voxline.contracts.JsonCodec.typeName(e.event())).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
