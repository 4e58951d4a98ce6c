package dev.voxline.gateway.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway instance's index ({@code voxline.gateway.instance-index}): a number, or a name that ends in one, such as
 * a StatefulSet pod's name ({@code gateway-service-2} is index 2). So Kubernetes can hand each pod its own name
 * through the downward API and the pod's ordinal becomes the block of voice.downlink partitions it owns.
 *
 * @param value the index, {@code >= 0}
 */
public record InstanceIndex(int value) {

    private static final Pattern TRAILING_ORDINAL = Pattern.compile("(?:.+-)?(\\d{1,9})");

    public InstanceIndex {
        if (value < 0) {
            throw new IllegalArgumentException("voxline.gateway.instance-index must be >= 0");
        }
    }

    public static InstanceIndex of(int value) {
        return new InstanceIndex(value);
    }

    /** A number from a YAML file ({@code instance-index: 2}); Spring's binder calls it for the property. */
    public static InstanceIndex valueOf(Integer value) {
        return new InstanceIndex(value);
    }

    /**
     * Parses {@code 2} or {@code gateway-service-2} (anything ending in {@code -} and digits); Spring's binder calls
     * it for the property.
     */
    public static InstanceIndex valueOf(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher matcher = TRAILING_ORDINAL.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("voxline.gateway.instance-index must be a number or a name ending in"
                    + " -<number> (a StatefulSet pod's name), not '" + trimmed + "'");
        }
        return new InstanceIndex(Integer.parseInt(matcher.group(1)));
    }
}
