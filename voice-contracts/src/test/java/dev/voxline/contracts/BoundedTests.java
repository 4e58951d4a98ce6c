package dev.voxline.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BoundedTests {

    @Test
    void newestEntriesDropTheEldestInsertedEvenWhenReadSince() {
        Map<String, Integer> map = Bounded.newestEntries(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("b", "c");
    }

    @Test
    void recentlyUsedDropsTheLeastRecentlyRead() {
        Map<String, Integer> map = Bounded.recentlyUsed(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("a", "c");
    }

    @Test
    void newestElementsKeepsTheLastOnes() {
        Set<Integer> set = Bounded.newestElements(3);
        for (int i = 0; i < 10; i++) {
            set.add(i);
        }
        assertThat(set).containsExactly(7, 8, 9);
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> Bounded.newestEntries(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
