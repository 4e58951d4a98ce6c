package dev.voxline.vad;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Voice activity detection: turns the caller's 20 ms frames into speech segments, each a turn. */
@SpringBootApplication
public class VadApplication {

    public static final String NAME = "vad-service";

    public static void main(String[] args) {
        // Its own config name, so it can share a JVM with the other services (voxline-local).
        new SpringApplicationBuilder(VadApplication.class).properties("spring.config.name=" + NAME).run(args);
    }
}
