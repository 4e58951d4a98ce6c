package dev.voxline.local;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No package of any module depends on a package that depends back on it: every module's features stay layered
 * (wiring beside the application class, features below it), so a feature can be read, tested and moved alone.
 */
class PackageCyclesTests {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.voxline");

    @Test
    void everyModuleIsChecked() {
        for (String module : List.of("contracts", "kafka", "gateway", "vad", "stt", "llm", "tts", "metrics", "local",
                "loadtest")) {
            assertThat(PRODUCTION.stream().anyMatch(c -> c.getPackageName().startsWith("dev.voxline." + module)))
                    .as("classes of dev.voxline.%s imported", module).isTrue();
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.voxline.(**)").should().beFreeOfCycles().check(PRODUCTION);
    }
}
