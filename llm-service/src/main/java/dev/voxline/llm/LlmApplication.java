package dev.voxline.llm;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The conversation: final transcripts in, replies streamed token by token and chunked into clauses out. */
@SpringBootApplication
public class LlmApplication {

    public static final String NAME = "llm-service";

    public static void main(String[] args) {
        // Its own config name, so it can share a JVM with the other services (voxline-local).
        new SpringApplicationBuilder(LlmApplication.class).properties("spring.config.name=" + NAME).run(args);
    }
}
