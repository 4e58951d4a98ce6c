package dev.voxline.kafka.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines of one stage by name, and the default a session gets when it names none. A session's choice goes
 * through {@link #select}: never an exception, always an engine, and a problem message when the session did not get
 * what it asked for (the stage reports it to that session as an {@code error}).
 *
 * <p>Engines are shared by every session. Most are given as instances (their expensive parts load on first use or
 * in {@link NamedEngine#warmUp}); a {@linkplain Builder#addLazy lazy} one is created on first selection, and one whose
 * creation fails (a provider without its settings) is reported to each session that asks for it. The default is
 * created when the registry is built, so a bad default stops the start. {@link #warmUp} and {@link #close} are the
 * registry's lifecycle ({@link EngineLifecycle} drives them in a Spring context).
 *
 * @param <E> the stage's engine interface
 */
public final class EngineRegistry<E extends NamedEngine> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineRegistry.class);

    private final String kind;
    private final Map<String, Supplier<? extends E>> factories;
    private final Map<String, E> created = new LinkedHashMap<>();
    private final String defaultName;
    private final E defaultEngine;
    private boolean closed;

    private EngineRegistry(String kind, Map<String, Supplier<? extends E>> factories, String defaultName) {
        this.kind = kind;
        this.factories = factories;
        if (defaultName == null || !factories.containsKey(defaultName)) {
            throw new IllegalStateException("unknown " + kind + " engine '" + defaultName + "' as the default; "
                    + "available: " + String.join(", ", names()));
        }
        this.defaultName = defaultName;
        this.defaultEngine = create(defaultName);
    }

    public static <E extends NamedEngine> Builder<E> builder(String kind) {
        return new Builder<>(kind);
    }

    /** Just {@code engine}, which is the default. */
    public static <E extends NamedEngine> EngineRegistry<E> of(String kind, E engine) {
        return EngineRegistry.<E>builder(kind).add(engine).build(engine.name());
    }

    /** What the engines do, for messages: {@code VAD}, {@code STT} … */
    public String kind() {
        return kind;
    }

    public String defaultName() {
        return defaultName;
    }

    public E defaultEngine() {
        return defaultEngine;
    }

    /** Every engine's name, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(factories.keySet()));
    }

    /**
     * The engine a session asked for: null or blank means the default; a name this registry does not have, or an
     * engine that cannot be created, gives the default with a message that says why.
     */
    public Selection<E> select(String requestedName) {
        if (requestedName == null || requestedName.isBlank()) {
            return new Selection<>(defaultEngine, Optional.empty());
        }
        String name = requestedName.strip();
        if (!factories.containsKey(name)) {
            return fallback("unknown " + kind + " engine '" + name + "'; available: " + String.join(", ", names()));
        }
        try {
            return new Selection<>(create(name), Optional.empty());
        } catch (RuntimeException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return fallback(kind + " engine '" + name + "' is not available: " + reason);
        }
    }

    private Selection<E> fallback(String problem) {
        return new Selection<>(defaultEngine, Optional.of(problem + "; using the default engine '" + defaultName
                + "'"));
    }

    private synchronized E create(String name) {
        E engine = created.get(name);
        if (engine == null) {
            engine = factories.get(name).get();
            if (!name.equals(engine.name())) {
                throw new IllegalStateException(kind + " engine registered as '" + name + "' calls itself '"
                        + engine.name() + "'");
            }
            created.put(name, engine);
        }
        return engine;
    }

    /** The default engine warmed up; see {@link #warmUp(Collection)}. */
    public void warmUp() {
        warmUp(List.of(defaultName));
    }

    /**
     * Creates the named engines and {@linkplain NamedEngine#warmUp warms them up}, one after the other, so the first
     * session that uses one does not wait for its model. A failure is logged and the engine stays as it is: its first
     * use tries again (and fails that turn if it still cannot).
     */
    public void warmUp(Collection<String> names) {
        for (String name : new LinkedHashSet<>(names)) {
            if (!factories.containsKey(name)) {
                throw new IllegalArgumentException("unknown " + kind + " engine '" + name + "' to warm up; "
                        + "available: " + String.join(", ", names()));
            }
            long start = System.nanoTime();
            try {
                create(name).warmUp();
                log.info("{} engine {} warmed up in {} ms", kind, name, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("{} engine {} could not be warmed up; its first use will try again: {}", kind, name,
                        e.toString());
            }
        }
    }

    /** Closes every engine created so far that holds resources, once; best effort (shutdown goes on). */
    @Override
    public void close() {
        List<E> engines;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            engines = new ArrayList<>(created.values());
        }
        for (E engine : engines) {
            if (engine instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("{} engine {} did not close cleanly: {}", kind, engine.name(), e.toString());
                }
            }
        }
    }

    /**
     * The engine a session gets, and why it is not the one it asked for when it is not.
     *
     * @param problem empty when the session got what it asked for (or asked for nothing)
     */
    public record Selection<E>(E engine, Optional<String> problem) {
    }

    /** Collects the engines; {@link #build} checks the default. */
    public static final class Builder<E extends NamedEngine> {

        private final String kind;
        private final Map<String, Supplier<? extends E>> factories = new LinkedHashMap<>();

        private Builder(String kind) {
            this.kind = kind;
        }

        public Builder<E> add(E engine) {
            return put(engine.name(), () -> engine);
        }

        public Builder<E> addAll(Collection<? extends E> engines) {
            engines.forEach(this::add);
            return this;
        }

        /** An engine created on first selection: for one that is expensive to create or may not be creatable. */
        public Builder<E> addLazy(String name, Supplier<? extends E> factory) {
            return put(name, factory);
        }

        private Builder<E> put(String name, Supplier<? extends E> factory) {
            if (factories.putIfAbsent(name, factory) != null) {
                throw new IllegalStateException("two " + kind + " engines are called '" + name + "'");
            }
            return this;
        }

        public EngineRegistry<E> build(String defaultName) {
            return new EngineRegistry<>(kind, new LinkedHashMap<>(factories), defaultName);
        }
    }
}
