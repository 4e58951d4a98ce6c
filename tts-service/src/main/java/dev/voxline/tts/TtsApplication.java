package dev.voxline.tts;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Text-to-speech: reply clauses in, reply audio for the caller's gateway out. */
@SpringBootApplication
public class TtsApplication {

    public static final String NAME = "tts-service";

    public static void main(String[] args) {
        // Its own config name, so it can share a JVM with the other services (voxline-local).
        new SpringApplicationBuilder(TtsApplication.class).properties("spring.config.name=" + NAME).run(args);
    }
}
