package dev.voxline.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.engine.NamedEngine;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.llm.engine.BuiltinLlmEngine;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;

/** The chat models llm-service offers and its default, the one application.yml names too. */
class LlmConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(LlmConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=llm-service", "voxline.llm.context.persist=false");

    @SuppressWarnings("unchecked")
    private static EngineRegistry<LlmEngine> engines(ApplicationContext context) {
        return (EngineRegistry<LlmEngine>) context.getBeanProvider(
                ResolvableType.forClassWithGenerics(EngineRegistry.class, LlmEngine.class)).getObject();
    }

    @Test
    void theBuiltinAssistantIsTheDefaultAndOpenaiWithoutSettingsIsReportedWhenAskedFor() {
        runner.run(context -> {
            EngineRegistry<LlmEngine> engines = engines(context);
            assertThat(engines.defaultEngine()).isInstanceOf(BuiltinLlmEngine.class);
            assertThat(engines.names()).containsExactly("builtin", "openai", "simulated");
            assertThat(engines.defaultEngine().capabilities()).containsExactly(NamedEngine.STREAMING);
            EngineRegistry.Selection<LlmEngine> openai = engines.select("openai");
            assertThat(openai.engine()).isSameAs(engines.defaultEngine());
            assertThat(openai.problem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("VOXLINE_LLM_MODEL", "using the default engine 'builtin'"));
        });
    }

    @Test
    void aConfiguredOpenaiEngineIsThereByName() {
        runner.withPropertyValues("voxline.llm.engine=simulated", "voxline.llm.openai.base-url=http://127.0.0.1:9/v1",
                "voxline.llm.openai.model=fake-model", "voxline.llm.openai.warm-up=false").run(context -> {
                    EngineRegistry<LlmEngine> engines = engines(context);
                    assertThat(engines.defaultEngine().name()).isEqualTo("simulated");
                    EngineRegistry.Selection<LlmEngine> openai = engines.select("openai");
                    assertThat(openai.problem()).isEmpty();
                    assertThat(openai.engine()).isInstanceOf(OpenAiLlmEngine.class);
                });
    }

    @Test
    void anOpenaiDefaultWithoutItsSettingsStopsTheStart() {
        runner.withPropertyValues("voxline.llm.engine=openai").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("VOXLINE_LLM_MODEL"));
    }
}
