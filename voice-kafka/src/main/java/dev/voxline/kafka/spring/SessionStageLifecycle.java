package dev.voxline.kafka.spring;

import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.VoiceTracing;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the context's {@link SessionStage}s once it is refreshed (after the web server) and stops them, in reverse,
 * when it closes; each gets the service's {@link VoiceTracing} first. The stages themselves know nothing of Spring.
 */
final class SessionStageLifecycle implements SmartLifecycle {

    private final ObjectProvider<SessionStage<?>> stages;
    private final ObjectProvider<VoiceTracing> tracing;
    private final List<SessionStage<?>> started = new ArrayList<>();
    private boolean running;

    SessionStageLifecycle(ObjectProvider<SessionStage<?>> stages, ObjectProvider<VoiceTracing> tracing) {
        this.stages = stages;
        this.tracing = tracing;
    }

    @Override
    public synchronized void start() {
        VoiceTracing serviceTracing = tracing.getIfAvailable();
        stages.orderedStream().forEach(stage -> {
            if (serviceTracing != null) {
                stage.setTracing(serviceTracing);
            }
            stage.start();
            started.add(stage);
        });
        running = true;
    }

    @Override
    public synchronized void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        started.clear();
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
