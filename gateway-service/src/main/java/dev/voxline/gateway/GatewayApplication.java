package dev.voxline.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The gateway: WebSocket {@code /v1/talk}, session ownership, input re-chunking, event order and reply pacing. */
@SpringBootApplication
public class GatewayApplication {

    public static final String SERVICE_NAME = "gateway-service";

    public static void main(String[] args) {
        new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=" + SERVICE_NAME)
                .run(args);
    }
}
