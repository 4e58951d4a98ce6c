package dev.voxline.kafka.embedded;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Loads and initialises the client classes the readiness probe needs while the broker JVM boots.
 *
 * <p>In a cold JVM the first {@code Admin.create} alone takes ~1.2 s on 2 cores (config definitions,
 * the protocol schemas of every API, JMX). Creating the client early is no option: it connects at once
 * and logs every refused attempt until the broker listens. Touching the same classes without a
 * connection takes that second off the start-up's critical path; it runs once per JVM.
 */
final class ClientWarmUp {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ClientWarmUp() {
    }

    static void startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(ClientWarmUp::run, "embedded-kafka-client-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            ManagementFactory.getPlatformMBeanServer();
            String nowhere = "127.0.0.1:1";
            new AdminClientConfig(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nowhere));
            new ProducerConfig(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, nowhere,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
            for (ApiKeys api : ApiKeys.values()) {
                api.messageType.requestSchemas();
                api.messageType.responseSchemas();
            }
            ClassLoader loader = ClientWarmUp.class.getClassLoader();
            for (String name : new String[] {
                    "org.apache.kafka.clients.admin.KafkaAdminClient",
                    "org.apache.kafka.clients.producer.KafkaProducer",
                    "org.apache.kafka.clients.NetworkClient",
                    "org.apache.kafka.common.network.Selector",
                    "org.apache.kafka.common.metrics.JmxReporter"}) {
                Class.forName(name, true, loader);
            }
        } catch (Throwable ignored) {
            // only an optimisation: the probe loads whatever is still missing
        }
    }
}
