package dev.voxline.local;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logback conversion word {@code %svc}: which service a log line comes from when every service shares one JVM.
 *
 * <p>In order: Voxline's own loggers by package ({@code dev.voxline.vad…} → {@code vad}), because they often log on
 * shared Reactor / Netty threads; then the {@value #MDC_KEY} MDC entry; then the thread group the launcher started
 * the service's context in, which every thread the context creates (Kafka poll and network threads, listener
 * containers) inherits; otherwise {@code local} (the launcher, the broker handle, shared pools).
 */
public final class ServiceLogTag extends ClassicConverter {

    public static final String MDC_KEY = "service";
    private static final String OWN_PACKAGE = "dev.voxline.";
    private static final Map<ThreadGroup, String> GROUPS = new ConcurrentHashMap<>();

    /** Threads created from now on in {@code group} (and its descendants) are logged as {@code tag}. */
    static void register(ThreadGroup group, String tag) {
        GROUPS.put(group, tag);
    }

    /** {@code gateway-service} → {@code gateway}. */
    static String tagOf(String serviceName) {
        return serviceName.endsWith("-service")
                ? serviceName.substring(0, serviceName.length() - "-service".length()) : serviceName;
    }

    @Override
    public String convert(ILoggingEvent event) {
        String byPackage = byPackage(event.getLoggerName());
        if (byPackage != null) {
            return byPackage;
        }
        String mdc = event.getMDCPropertyMap().get(MDC_KEY);
        if (mdc != null) {
            return mdc;
        }
        for (ThreadGroup group = Thread.currentThread().getThreadGroup(); group != null; group = group.getParent()) {
            String tag = GROUPS.get(group);
            if (tag != null) {
                return tag;
            }
        }
        return "local";
    }

    private static String byPackage(String loggerName) {
        if (loggerName == null || !loggerName.startsWith(OWN_PACKAGE)) {
            return null;
        }
        int end = loggerName.indexOf('.', OWN_PACKAGE.length());
        String feature = end < 0 ? null : loggerName.substring(OWN_PACKAGE.length(), end);
        if (feature == null) {
            return null;
        }
        for (LocalService service : LocalService.values()) {
            if (tagOf(service.serviceName()).equals(feature)) {
                return feature;
            }
        }
        return null; // shared code (dev.voxline.kafka …): the thread tells whose it is
    }
}
