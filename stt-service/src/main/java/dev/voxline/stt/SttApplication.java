package dev.voxline.stt;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Speech-to-text: each speech segment from VAD becomes interim and final transcripts. */
@SpringBootApplication
public class SttApplication {

    public static final String NAME = "stt-service";

    public static void main(String[] args) {
        // Its own config name, so it can share a JVM with the other services (voxline-local).
        new SpringApplicationBuilder(SttApplication.class).properties("spring.config.name=" + NAME).run(args);
    }
}
