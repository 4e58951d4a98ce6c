package dev.voxline.gateway.downlink;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The voice.downlink partitions this gateway instance owns ([n·i, n·i+n) for index i) and the
 * round-robin choice of one of them for each new session. Fixed for the life of the instance, so scaling gateways
 * never moves a live session.
 */
public final class DownlinkPartitions {

    private final List<Integer> owned;
    private final AtomicInteger next = new AtomicInteger();

    public DownlinkPartitions(int instanceIndex, int partitionsPerGateway, int gatewayInstances) {
        if (partitionsPerGateway <= 0) {
            throw new IllegalArgumentException("voxline.kafka.partitions-per-gateway must be > 0");
        }
        if (instanceIndex >= gatewayInstances) {
            throw new IllegalArgumentException("voxline.gateway.instance-index " + instanceIndex
                    + " is outside the downlink layout of " + gatewayInstances
                    + " gateway instances (voxline.kafka.gateway-instances)");
        }
        int first = instanceIndex * partitionsPerGateway;
        this.owned = IntStream.range(first, first + partitionsPerGateway).boxed().toList();
    }

    public List<Integer> owned() {
        return owned;
    }

    /** The partition for a new session. */
    public int nextForSession() {
        return owned.get(Math.floorMod(next.getAndIncrement(), owned.size()));
    }
}
