package io.dflink.jobs;

import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.settings.InvalidSettingException;

import picocli.CommandLine.Option;

/** Decentralised LoRA's options ({@code --algorithm LORA}). */
public class LoraOptions {

    @Option(
            names = "--lora-variant",
            description =
                    "LORA: TAD_LORA (alternate every T rounds, mix both factors), TAD_LORA_NO_JOINT,"
                            + " LORA (train and mix both), FFA_LORA (B only) or ROLORA (alternate"
                            + " every round, mix the trained factor) (default: ${DEFAULT-VALUE}).")
    LoraVariant loraVariant = LoraVariant.TAD_LORA;

    @Option(
            names = "--lora-interval",
            description =
                    "LORA: T, rounds between switches of the trained factor (B first); larger on"
                            + " sparser graphs (default: ${DEFAULT-VALUE}).")
    int loraInterval = 5;

    @Option(
            names = "--lora-link-probability",
            description =
                    "LORA: p, each link of the topology is active in a round with this"
                            + " probability, decided by a hash of (seed, round, link) at both ends;"
                            + " 1 = every link every round (default: ${DEFAULT-VALUE}).")
    double loraLinkProbability = 1.0;

    @Option(names = "--lora-rank", description = "LORA: rank r (default: ${DEFAULT-VALUE}).")
    int loraRank = 8;

    @Option(
            names = "--lora-alpha",
            description = "LORA: alpha; the update is (alpha / r) B A (default: ${DEFAULT-VALUE}).")
    double loraAlpha = 16;

    @Option(
            names = "--lora-rows",
            description = "LORA: d_out of the adapted layer (B is d_out x r); required with LORA.")
    int loraRows;

    @Option(
            names = "--lora-cols",
            description = "LORA: d_in of the adapted layer (A is r x d_in); required with LORA.")
    int loraCols;

    @Option(
            names = "--lora-seed",
            description =
                    "LORA: seed of the shared initialisation of A and of the link activation"
                            + " (default: ${DEFAULT-VALUE}).")
    long loraSeed = 1;

    /** Decentralised LoRA's settings. */
    LoraParams params() {
        if (loraRows == 0 || loraCols == 0) {
            throw new InvalidSettingException(
                    loraRows == 0 ? "lora-rows" : "lora-cols",
                    null,
                    "is required with --algorithm LORA: give the adapted layer's shape as"
                            + " --lora-rows and --lora-cols");
        }
        return new LoraParams(
                loraVariant,
                loraInterval,
                loraLinkProbability,
                loraSeed,
                loraRank,
                loraAlpha,
                loraRows,
                loraCols);
    }
}
