package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import org.junit.jupiter.api.Test;

class SessionStartPolicyTests {

    private static final SessionConfig.Simulation SIMULATION = new SessionConfig.Simulation(100, null, null, null,
            null, null, null, null, null);

    private final SessionStartPolicy production = new SessionStartPolicy(false, new MessageRules(2_000));
    private final SessionStartPolicy testServer = new SessionStartPolicy(true, new MessageRules(2_000));

    @Test
    void anEmptyStartGetsThePipelineRateTheDefaultProfileAndEachStagesOwnEngine() {
        SessionStartPolicy.Decision decision = production.decide(start(null, null, null, null, null), false);

        assertThat(decision.starts()).isTrue();
        assertThat(decision.errors()).isEmpty();
        SessionConfig config = decision.config();
        assertThat(config.inputSampleRate()).isEqualTo(16_000);
        assertThat(config.outputSampleRate()).isEqualTo(16_000);
        assertThat(config.vadProfile()).isEqualTo(SessionConfig.DEFAULT_VAD_PROFILE);
        assertThat(config.engines()).isEqualTo(SessionConfig.Engines.unnamed());
    }

    @Test
    void whatTheClientNamesIsKept() {
        SessionConfig.TurnTaking turnTaking = new SessionConfig.TurnTaking(300, 2, null, 100, 900, null, null, null);
        SessionStartPolicy.Decision decision = production.decide(new ClientMessage.SessionStart(48_000, 24_000,
                "high-accuracy", null, "alloy", null, turnTaking, null), false);

        SessionConfig config = decision.config();
        assertThat(config.inputSampleRate()).isEqualTo(48_000);
        assertThat(config.outputSampleRate()).isEqualTo(24_000);
        assertThat(config.vadProfile()).isEqualTo("high-accuracy");
        assertThat(config.voice()).isEqualTo("alloy");
        assertThat(config.turnTaking()).isEqualTo(turnTaking);
    }

    @Test
    void aSecondStartIsRefused() {
        SessionStartPolicy.Decision decision = production.decide(start(null, null, null, null, null), true);

        assertThat(decision.starts()).isFalse();
        assertThat(decision.errors()).extracting(ClientError::code)
                .containsExactly(ErrorCodes.SESSION_ALREADY_STARTED);
    }

    @Test
    void aStartWithAnInvalidFieldIsRefusedWithThatFieldsError() {
        SessionStartPolicy.Decision decision = production.decide(start(-5, null, null, null, null), false);

        assertThat(decision.starts()).isFalse();
        assertThat(decision.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ErrorCodes.INVALID_FIELD);
            assertThat(error.message()).isEqualTo("session.start: inputSampleRate must be between 8000 and 48000 "
                    + "(got -5)");
        });
    }

    @Test
    void anEngineTheGatewayDoesNotKnowIsPassedOnForItsStageToAnswer() {
        SessionConfig.Engines engines = new SessionConfig.Engines("nope", "whisper", null, null);
        SessionStartPolicy.Decision decision = production.decide(new ClientMessage.SessionStart(null, null, null,
                engines, null, null), false);

        assertThat(decision.errors()).isEmpty();
        assertThat(decision.config().engines()).isEqualTo(engines);
    }

    @Test
    void simulationStartsWithoutItOnAProductionServerAndWithItOnATestServer() {
        SessionStartPolicy.Decision production = this.production.decide(start(null, null, null, SIMULATION, null),
                false);
        assertThat(production.starts()).isTrue();
        assertThat(production.config().simulation()).isNull();
        assertThat(production.errors()).extracting(ClientError::code)
                .containsExactly(ErrorCodes.TEST_SETTINGS_DISABLED);

        SessionStartPolicy.Decision test = testServer.decide(start(null, null, null, SIMULATION, null), false);
        assertThat(test.config().simulation()).isEqualTo(SIMULATION);
        assertThat(test.errors()).isEmpty();
    }

    @Test
    void aRefusedStartIsNotWarnedAboutItsSimulation() {
        SessionConfig.TurnTaking inverted = new SessionConfig.TurnTaking(null, null, null, 900, 100, null, null, null);
        SessionStartPolicy.Decision decision = production.decide(start(null, null, null, SIMULATION, inverted),
                false);

        assertThat(decision.starts()).isFalse();
        assertThat(decision.errors()).extracting(ClientError::code).containsExactly(ErrorCodes.INVALID_FIELD);
        assertThat(decision.errors().get(0).message()).contains("turnTaking.minEndpointingDelayMs");
    }

    @Test
    void audioOrTextBeforeAnyStartStartsWithTheDefaults() {
        assertThat(production.implicitStart()).isEqualTo(SessionConfig.defaults());
    }

    private static ClientMessage.SessionStart start(Integer input, Integer output, String vadProfile,
                                                    SessionConfig.Simulation simulation,
                                                    SessionConfig.TurnTaking turnTaking) {
        return new ClientMessage.SessionStart(input, output, vadProfile, null, null, simulation, turnTaking, null);
    }
}
