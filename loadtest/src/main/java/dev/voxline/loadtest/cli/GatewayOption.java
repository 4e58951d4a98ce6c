package dev.voxline.loadtest.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** {@code --url}: the gateway a client command talks to, one default for all of them. */
final class GatewayOption {

    static final String DEFAULT_URL = "ws://localhost:8080/v1/talk";

    @Option(names = "--url", defaultValue = DEFAULT_URL, paramLabel = "WS-URL", description = "the gateway's "
            + "/v1/talk endpoint (default: ${DEFAULT-VALUE})")
    private URI url;

    URI url() {
        return url;
    }
}
