package dev.voxline.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupBenchCommandTests {

    @Test
    void readsTheBannersOwnReadyTimeFromTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("start.log");
        Files.writeString(log, "building ...\n  Voxline is ready in 4.7 s (broker 1.9 s, services 2.5 s, side by "
                + "side), RSS 812 MB\n");
        assertThat(StartupBenchCommand.jvmReadySeconds(log)).isEqualTo(4.7);
        Files.writeString(log, "voxline up exited\n");
        assertThat(StartupBenchCommand.jvmReadySeconds(log)).isNull();
        assertThat(StartupBenchCommand.jvmReadySeconds(dir.resolve("missing.log"))).isNull();
    }

    @Test
    void theFirstTurnIsKeptApartFromTheLaterOnes() {
        StartupBenchCommand.Start start = new StartupBenchCommand.Start(2, 6.1, 5.2,
                List.of(turn(900.0), turn(null), turn(410.0), turn(430.0)), 0);
        assertThat(start.first(TurnResult::clientE2eMs)).isEqualTo(900.0);
        assertThat(start.later(TurnResult::clientE2eMs)).containsExactly(410.0, 430.0);
        StartupBenchCommand.Start none = new StartupBenchCommand.Start(1, 9.0, null, List.of(), 1);
        assertThat(none.first(TurnResult::clientE2eMs)).isNull();
        assertThat(none.later(TurnResult::clientE2eMs)).isEmpty();
    }

    private static TurnResult turn(Double clientE2e) {
        return new TurnResult("t", false, "hello", "hi", clientE2e, (VoiceEvent.TurnMetrics) null, new byte[0],
                16000, true, false, List.of(), true);
    }
}
