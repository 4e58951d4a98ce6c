package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.PauseSet;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.conversation.SpokenItem;
import java.util.List;

/** The shipped pause set (human recordings and synthetic sentences) as the conversation benchmark's utterances. */
final class PausedSentences {

    private PausedSentences() {
    }

    static List<SpokenItem> load() throws UnreadableAudioException {
        return PauseSet.shipped().items().stream()
                .map(item -> new SpokenItem(item.name(), item.reference(), item.pcm(), item.human()
                        ? SpokenItem.HUMAN : SpokenItem.SYNTHETIC))
                .toList();
    }
}
