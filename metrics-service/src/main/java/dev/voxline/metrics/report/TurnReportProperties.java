package dev.voxline.metrics.report;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Turn reports ({@code voxline.metrics.*}).
 *
 * @param turnTimeout          a turn not complete this long after its first metric event is reported with what
 *                             there is (plus the reply's audio duration once TTS has reported it)
 * @param timeoutCheckInterval how often overdue turns are looked for
 * @param maxOpenTurns         turns assembled at once; beyond it the oldest is reported as dropped
 * @param rememberedTurns      reported turns remembered so their late metric events are recognised and ignored
 * @param recentReports        reports kept for {@code GET /api/v1/turns}
 */
@ConfigurationProperties("voxline.metrics")
public record TurnReportProperties(
        @DefaultValue("10s") Duration turnTimeout,
        @DefaultValue("250ms") Duration timeoutCheckInterval,
        @DefaultValue("10000") int maxOpenTurns,
        @DefaultValue("10000") int rememberedTurns,
        @DefaultValue("1000") int recentReports) {
}
