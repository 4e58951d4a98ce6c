package dev.voxline.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same pipeline scenarios against a Kafka broker in a Testcontainers container instead of the embedded one. It
 * needs a Docker engine; without one the whole class is reported as SKIPPED with the reason (never as passed).
 */
class PipelineTestcontainersIntegrationTests extends PipelineScenarios {

    static final String KAFKA_IMAGE = "apache/kafka-native:4.1.2";

    private static KafkaContainer kafka;
    private static LocalStack stack;
    private static RunningService secondGateway;

    private static String skipped;

    @BeforeAll
    static void startStackOnAContainerBroker() {
        if (!dockerAvailable()) {
            skipped = "Testcontainers variant SKIPPED: no Docker engine on this machine (the same scenarios ran on "
                    + "the embedded broker in PipelineKafkaIntegrationTests)";
            System.err.println(skipped);
            return;
        }
        kafka = new KafkaContainer(KAFKA_IMAGE);
        kafka.start();
        stack = LocalStack.start(LocalStackOptions.forTests().withBootstrapServers(kafka.getBootstrapServers()));
    }

    /** Each scenario reports itself skipped, with the reason, rather than the class silently running nothing. */
    @BeforeEach
    void needsDocker() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Override
    int gatewayPort() {
        return stack.gatewayPort();
    }

    @Override
    synchronized int secondGatewayPort() {
        if (secondGateway == null) {
            secondGateway = stack.startGateway(1);
        }
        return secondGateway.port();
    }

    @Override
    String bootstrapServers() {
        return stack.bootstrapServers();
    }
}
