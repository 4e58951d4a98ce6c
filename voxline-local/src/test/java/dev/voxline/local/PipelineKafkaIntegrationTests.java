package dev.voxline.local;

/**
 * The pipeline scenarios on the default test stack: the real embedded KRaft broker, one stack for the whole test JVM
 * (isolated by sessionId).
 */
class PipelineKafkaIntegrationTests extends PipelineScenarios {

    @Override
    int gatewayPort() {
        return SharedStack.gatewayPort();
    }

    @Override
    int secondGatewayPort() {
        return SharedStack.secondGatewayPort();
    }

    @Override
    String bootstrapServers() {
        return SharedStack.bootstrapServers();
    }
}
