package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.KafkaVoiceTransport;
import org.junit.jupiter.api.Test;

/** The floor is only a floor if the chain's clients are configured exactly as the pipeline's transport. */
class ChainSettingsTests {

    @Test
    void theProducerSettingsAreKafkaVoiceTransports() {
        assertThat(ChainSettings.producer("b:9092", "p")).isEqualTo(
                KafkaVoiceTransport.producerSettings("b:9092", "p", ChainSettings.LINGER_MS));
    }

    @Test
    void theConsumerSettingsAreKafkaVoiceTransports() {
        assertThat(ChainSettings.consumer("b:9092", "c")).isEqualTo(
                KafkaVoiceTransport.consumerSettings("b:9092", "c"));
    }

    @Test
    void stageConsumersUseAGroupWithTheRangeAssignorAndTheGatewayNone() {
        assertThat(ChainSettings.groupConsumer("b:9092", "c", "g"))
                .containsEntry("group.id", "g")
                .containsEntry("partition.assignment.strategy",
                        org.apache.kafka.clients.consumer.RangeAssignor.class.getName())
                .containsEntry("enable.auto.commit", true)
                .containsEntry("auto.commit.interval.ms", 1_000);
        java.util.Properties transports = KafkaVoiceTransport.consumerSettings("b:9092", "c");
        KafkaVoiceTransport.groupCommits(transports);
        assertThat(ChainSettings.groupConsumer("b:9092", "c", "g")).containsAllEntriesOf(transports);
        assertThat(ChainSettings.assignedConsumer("b:9092", "c")).doesNotContainKey("group.id")
                .containsEntry("enable.auto.commit", false);
    }
}
