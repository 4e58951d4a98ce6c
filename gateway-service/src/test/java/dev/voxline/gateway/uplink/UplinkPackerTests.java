package dev.voxline.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.contracts.audio.PackedFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UplinkPackerTests {

    private record Packed(long firstSeq, byte[] pcm, long[] arrivals) {
    }

    private final List<Packed> records = new ArrayList<>();

    @Test
    void threeFramesMakeOneRecordWithTheFirstSeqAndEveryFramesArrival() {
        UplinkPacker packer = new UplinkPacker(3, 4);
        for (int seq = 0; seq < 7; seq++) {
            packer.accept(seq, new byte[] {(byte) seq, 0, 0, 0}, 1_000L + seq, this::collect);
        }

        assertThat(records).hasSize(2);
        assertThat(records.get(0).firstSeq()).isZero();
        assertThat(records.get(0).pcm()).containsExactly(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0);
        assertThat(records.get(0).arrivals()).containsExactly(1_000, 1_001, 1_002);
        assertThat(records.get(1).firstSeq()).isEqualTo(3);
        assertThat(records.get(1).arrivals()).containsExactly(1_003, 1_004, 1_005);
        assertThat(packer.pendingFrames()).isEqualTo(1);
    }

    @Test
    void oneFramePerRecordSendsEachFrameAsItComes() {
        UplinkPacker packer = new UplinkPacker(1, 4);
        packer.accept(5, new byte[] {1, 2, 3, 4}, 77, this::collect);

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.firstSeq()).isEqualTo(5);
            assertThat(record.pcm()).containsExactly(1, 2, 3, 4);
            assertThat(PackedFrames.arrivalsHeader(record.arrivals())).isEqualTo("77");
        });
    }

    @Test
    void theRecordSizeIsChosenAnewAtTheStartOfEachRecord() {
        int[] size = {1};
        UplinkPacker packer = new UplinkPacker(() -> size[0], 3, 4);
        packer.accept(0, new byte[4], 0, this::collect);
        size[0] = 3;                                      // the gateway got busy
        packer.accept(1, new byte[4], 1, this::collect);
        size[0] = 1;                                      // mid-record: this record keeps its three frames
        packer.accept(2, new byte[4], 2, this::collect);
        packer.accept(3, new byte[4], 3, this::collect);
        packer.accept(4, new byte[4], 4, this::collect);

        assertThat(records).extracting(Packed::firstSeq).containsExactly(0L, 1L, 4L);
        assertThat(records).extracting(record -> record.pcm().length).containsExactly(4, 12, 4);
        assertThat(records.get(1).arrivals()).containsExactly(1, 2, 3);
    }

    @Test
    void aFrameOfTheWrongSizeIsRefused() {
        UplinkPacker packer = new UplinkPacker(2, 4);
        assertThatThrownBy(() -> packer.accept(0, new byte[3], 0, this::collect))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void collect(long firstSeq, byte[] pcm, long[] arrivals) {
        records.add(new Packed(firstSeq, pcm, arrivals));
    }
}
