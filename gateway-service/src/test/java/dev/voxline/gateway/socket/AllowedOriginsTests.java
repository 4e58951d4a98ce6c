package dev.voxline.gateway.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTests {

    private static final List<String> LOOPBACK = List.of("http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
            "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*");

    @Test
    void loopbackPagesOnAnyPortAreAllowedAndNothingElse() {
        AllowedOrigins origins = AllowedOrigins.of(LOOPBACK);

        assertThat(origins.allows("http://localhost:5173")).isTrue();
        assertThat(origins.allows("http://localhost")).isTrue();
        assertThat(origins.allows("HTTP://LocalHost:8080")).isTrue();
        assertThat(origins.allows("http://127.0.0.1:3000")).isTrue();
        assertThat(origins.allows("https://[::1]:8443")).isTrue();
        assertThat(origins.allows("http://evil.example")).isFalse();
        assertThat(origins.allows("http://localhost.evil.example")).isFalse();
        assertThat(origins.allows("http://127.0.0.1.evil.example:80")).isFalse();
        assertThat(origins.allows("http://localhost:80@evil.example")).isFalse();
        assertThat(origins.allows("null")).isFalse();
        assertThat(origins.allows("ws://localhost:8080")).isFalse();
    }

    @Test
    void aHostLabelWildcardIsOneLabelAndAnExactPortIsThatPort() {
        AllowedOrigins origins = AllowedOrigins.of(List.of("https://*.example.com", "http://app.example.org:8080"));

        assertThat(origins.allows("https://app.example.com")).isTrue();
        assertThat(origins.allows("https://a.b.example.com")).isFalse();
        assertThat(origins.allows("https://example.com")).isFalse();
        assertThat(origins.allows("https://app.example.com:444")).isFalse();
        assertThat(origins.allows("http://app.example.org:8080")).isTrue();
        assertThat(origins.allows("http://app.example.org")).isFalse();
    }

    @Test
    void aLoneStarAllowsEveryOriginAndAnEmptyListNone() {
        assertThat(AllowedOrigins.of(List.of("*")).allows("http://evil.example")).isTrue();
        assertThat(AllowedOrigins.of(List.of()).allows("http://localhost:8080")).isFalse();
    }

    @Test
    void anEntryThatIsNotAnOriginStopsTheStart() {
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("localhost:8080"))).hasMessageContaining("'localhost:8080'");
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("http://localhost:8080/app")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("http://localhost:**")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
