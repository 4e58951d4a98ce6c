package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The conversation context survives llm-service: its sessions' snapshots live on the compacted voice.context topic
 * and a restarted instance reads them back for the partitions it is assigned. The simulated model answers with the
 * context it was given ({@code reply = "{context}"}), so the reply shows what the agent remembers.
 */
class ContextRestoreKafkaIntegrationTests {

    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aRestartedLlmServiceStillKnowsWhatTheCallerSaidBefore() throws Exception {
        int port = SharedStack.gatewayPort();
        try (TestTalkClient client = TestTalkClient.connect(port)) {
            client.sendJson(PipelineScenarios.fastSession(null, "{context}"));
            client.await(VoiceEvent.SessionStarted.class, TURN_TIMEOUT);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"My name is Ada.\"}");
            VoiceEvent.ReplyDone first = client.await(VoiceEvent.ReplyDone.class, TURN_TIMEOUT);
            assertThat(first.text()).isEqualTo("Context: user: My name is Ada.");
            client.await(VoiceEvent.AudioDone.class, TURN_TIMEOUT);

            SharedStack.get().restartService(LocalService.LLM.serviceName());

            client.sendJson("{\"type\":\"text.input\",\"text\":\"What is my name?\"}");
            VoiceEvent.ReplyDone second = client.await(VoiceEvent.ReplyDone.class,
                    done -> !done.turnId().equals(first.turnId()), TURN_TIMEOUT);
            assertThat(second.cancelled()).isFalse();
            assertThat(second.text()).as("what the restarted llm-service gave the model")
                    .isEqualTo("Context: user: My name is Ada. | assistant: Context: user: My name is Ada."
                            + " | user: What is my name?");
            assertThat(client.events(VoiceEvent.Error.class)).isEmpty();
        }
    }
}
