package dev.voxline.gateway.socket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser origins a WebSocket may come from ({@code voxline.gateway.allowed-origins}). Each entry is an origin,
 * {@code scheme://host[:port]}, in which a host label may be {@code *} (any one label: {@code https://*.example.com})
 * and the port may be {@code *} (any port, or none: {@code http://localhost:*}); {@code *} alone allows every origin.
 * Matching ignores case. A request without an {@code Origin} header does not come from a browser page, so it is not
 * this list's business: the handshake lets it through (see {@link OriginCheckingWebSocketService}).
 */
public final class AllowedOrigins {

    private static final Pattern ORIGIN = Pattern.compile(
            "([a-z][a-z0-9+.-]*)://(\\[[0-9a-f:.]+\\]|[^\\[\\]/:?#@\\s]+)(?::(\\*|[0-9]{1,5}))?");
    /** What a {@code *} host label matches: one label. */
    private static final String ANY_LABEL = "[^./:\\[\\]]+";

    private final boolean any;
    private final List<Pattern> patterns;

    private AllowedOrigins(boolean any, List<Pattern> patterns) {
        this.any = any;
        this.patterns = patterns;
    }

    /** The entries as configured; an entry that is not an origin pattern stops the start. */
    public static AllowedOrigins of(List<String> entries) {
        boolean any = false;
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : entries) {
            String origin = entry.strip().toLowerCase(Locale.ROOT);
            if (origin.equals("*")) {
                any = true;
            } else {
                patterns.add(compile(origin, entry));
            }
        }
        return new AllowedOrigins(any, List.copyOf(patterns));
    }

    public boolean allows(String origin) {
        if (any) {
            return true;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(pattern -> pattern.matcher(normalized).matches());
    }

    private static Pattern compile(String origin, String entry) {
        Matcher parts = ORIGIN.matcher(origin);
        if (!parts.matches()) {
            throw new IllegalArgumentException("voxline.gateway.allowed-origins: '" + entry + "' is not an origin "
                    + "(scheme://host[:port], with * for a host label or the port) nor *");
        }
        StringBuilder regex = new StringBuilder(Pattern.quote(parts.group(1) + "://"));
        String host = parts.group(2);
        String[] labels = host.startsWith("[") ? new String[] {host} : host.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            regex.append(i == 0 ? "" : "\\.").append(labels[i].equals("*") ? ANY_LABEL : Pattern.quote(labels[i]));
        }
        String port = parts.group(3);
        if ("*".equals(port)) {
            regex.append("(?::[0-9]{1,5})?");
        } else if (port != null) {
            regex.append(Pattern.quote(":" + port));
        }
        return Pattern.compile(regex.toString());
    }
}
