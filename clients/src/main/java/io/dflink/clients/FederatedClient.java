package io.dflink.clients;

import io.dflink.operators.core.admm.GradientShard;
import io.dflink.operators.core.admm.LocalProblem;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.fda.DriftMonitor;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaReport;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.operators.core.math.Vec;
import io.dflink.records.AdmmSettings;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ControlEvent;
import io.dflink.records.FdaSettings;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One device's side of the round protocol, configured by its server's model events.
 *
 * <ul>
 *   <li>DFL (a round's model carries no {@code fda} settings): train {@code localSteps} steps from
 *       the model and answer with a {@code model} update for the round, weighted by the sample
 *       count.
 *   <li>FDA (docs/algorithms.md §3, §5.1): from each synchronised model (the round's model, or a
 *       sync's average) take local steps; after each one send the drift state the variant needs and
 *       wait for the server's decision on {@code control}: continue, or upload the model (sync).
 *       After the round's last step, or every {@code period} steps for the fixed-schedule variants,
 *       upload without waiting. Linear FDA's direction xi comes from the last two synchronised
 *       models.
 * </ul>
 *
 * <ul>
 *   <li>LT-ADMM (the model carries {@code admm} settings; needs {@link #answeringGradients}): for
 *       the round's model and each later iterate phi^t of the round, send the {@code gradient} of a
 *       mini-batch of the local samples at it (with variance reduction, against the device's SAGA
 *       table, which stays on the device: docs/algorithms.md §4b).
 * </ul>
 *
 * <ul>
 *   <li>Decentralised LoRA (the model carries {@code lora} settings; needs {@link #trainingLora}):
 *       train the round's factor (B, A, or both: docs/algorithms.md §2b) from the server's factors
 *       and upload a {@code model} update holding only that factor, named in its {@code factor}
 *       field.
 * </ul>
 *
 * Re-delivered or older models and decisions are ignored; so is the last model of a run. Not
 * thread-safe: one runtime thread drives it.
 */
public final class FederatedClient {

    private final String clientId;
    private final String serverId;
    private final LocalTrainer trainer;
    private final int localSteps;

    private long round = -1;
    private boolean joined;

    // FDA: the round's settings, drift bases and where the client is within the round
    private FdaSettings settings;
    private FdaParams fda;
    private DriftMonitor monitor;
    private double[] local;
    private double[] base;
    private double[] previousBase;
    private double[] xi;
    private int step;
    private boolean awaitingDecision;
    private boolean awaitingSync;

    // decentralised LoRA: the device's adapter training
    private LoraTrainer lora;

    // LT-ADMM: the device's samples and its share of the agent's gradient estimator
    private LocalProblem problem;
    private AdmmSettings admm;
    private GradientShard shard;
    private int admmStep = -1;

    public FederatedClient(String clientId, String serverId, LocalTrainer trainer, int localSteps) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("local steps must be >= 1");
        }
        this.clientId = clientId;
        this.serverId = serverId;
        this.trainer = trainer;
        this.localSteps = localSteps;
    }

    /** T_C: the local steps it trains per round (DFL; FDA's rounds carry their own). */
    public int localSteps() {
        return localSteps;
    }

    /**
     * A device that only takes part in decentralised LoRA: it trains its adapter with {@code
     * trainer} and has no full model to train for DFL.
     */
    public static FederatedClient lora(String clientId, String serverId, LoraTrainer trainer) {
        return new FederatedClient(clientId, serverId, null, 1).trainingLora(trainer);
    }

    /** Lets the device follow decentralised LoRA servers, training its adapter with {@code t}. */
    public FederatedClient trainingLora(LoraTrainer t) {
        this.lora = t;
        return this;
    }

    /** Lets the device answer LT-ADMM servers with sample gradients of {@code samples}. */
    public FederatedClient answeringGradients(LocalProblem samples) {
        this.problem = samples;
        return this;
    }

    public String clientId() {
        return clientId;
    }

    public String serverId() {
        return serverId;
    }

    /** The events to publish, in order, for {@code model}; empty when there is nothing to do. */
    public List<ClientUpdate> onServerModel(ServerModel model) {
        if (!serverId.equals(model.serverId) || model.last || model.async != null) {
            return List.of(); // an asynchronous server takes deltas: see AsyncDevice
        }
        List<ClientUpdate> events = new ArrayList<>(2);
        if (model.step == 0 && model.round > round) {
            if (!joined) {
                joined = true;
                events.add(
                        ClientUpdate.membership(
                                ClientUpdate.TYPE_JOIN, clientId, serverId, model.round));
            }
            round = model.round;
            if (model.lora != null) {
                settings = null;
                admm = null;
                events.add(adapterUpdate(model));
                return events;
            }
            if (model.admm != null) {
                settings = null;
                events.addAll(gradient(model));
                return events;
            }
            admm = null;
            if (model.fda == null) {
                settings = null;
                requireTrainer();
                double[] trained = trainer.train(model.vector, localSteps);
                events.add(
                        ClientUpdate.model(
                                clientId, serverId, round, trainer.sampleCount(), trained));
            } else {
                requireTrainer();
                configure(model.fda, model.vector.length);
                step = 0;
                rebase(model.vector, events);
            }
        } else if (admm != null
                && model.step > admmStep
                && model.round == round
                && model.admm == null) {
            events.addAll(gradient(model));
        } else if (isAwaitedSync(model)) {
            step = model.step;
            rebase(model.vector, events);
        }
        return events;
    }

    /** The events to publish for the server's decision {@code c}. */
    public List<ClientUpdate> onControl(ControlEvent c) {
        if (!awaitingDecision
                || !serverId.equals(c.serverId)
                || c.round != round
                || c.step != step) {
            return List.of();
        }
        awaitingDecision = false;
        List<ClientUpdate> events = new ArrayList<>(1);
        if (c.isSync()) {
            upload(events);
        } else {
            takeSteps(events);
        }
        return events;
    }

    private void requireTrainer() {
        if (trainer == null) {
            throw new IllegalStateException(
                    clientId + " trains only a LoRA adapter but its server runs DFL");
        }
    }

    /**
     * Decentralised LoRA: trains the round's factor from the server's factors and uploads it (the
     * whole model when the variant trains both).
     */
    private ClientUpdate adapterUpdate(ServerModel m) {
        if (lora == null) {
            throw new IllegalStateException(
                    clientId + " follows a decentralised LoRA server but has no adapter trainer");
        }
        LoraParams p = LoraParams.fromSettings(m.lora);
        LoraFactors f = p.factors(m.vector);
        LoraVariant.Factor trained = p.trained(m.round);
        lora.train(f, p.scale(), trained);
        ClientUpdate u =
                ClientUpdate.model(
                        clientId,
                        serverId,
                        m.round,
                        lora.sampleCount(),
                        p.part(p.vector(f), trained));
        u.factor = LoraParams.factorName(trained);
        return u;
    }

    /** The gradient event for LT-ADMM's iterate {@code m} (the round's model is step 0). */
    private List<ClientUpdate> gradient(ServerModel m) {
        if (problem == null) {
            throw new IllegalStateException(
                    clientId + " follows an LT-ADMM server but has no samples to answer with");
        }
        if (m.admm != null) {
            if (shard == null || !sameAdmm(m.admm)) {
                shard =
                        new GradientShard(
                                problem,
                                m.admm.batchSize,
                                GradientShard.seedFor(m.admm.seed, clientId));
            }
            admm = m.admm;
        }
        admmStep = m.step;
        GradientShard.Contribution c =
                shard.contribute(VarianceReduction.valueOf(admm.variance), m.vector, m.step == 0);
        double[] mean = Vec.scaled(1.0 / c.count(), c.sum());
        double[] table =
                c.tableSum() == null ? new double[0] : Vec.scaled(1.0 / c.samples(), c.tableSum());
        return List.of(
                ClientUpdate.gradient(
                        clientId, serverId, m.round, m.step, c.count(), mean, table, c.samples()));
    }

    private boolean sameAdmm(AdmmSettings s) {
        return admm != null
                && admm.variance.equals(s.variance)
                && admm.batchSize == s.batchSize
                && admm.seed == s.seed;
    }

    /**
     * A sync average of this round, at or past the step the client is at (it may have fallen
     * behind).
     */
    private boolean isAwaitedSync(ServerModel m) {
        return settings != null
                && m.step > 0
                && m.round == round
                && (m.step > step || (m.step == step && awaitingSync));
    }

    private void configure(FdaSettings s, int dim) {
        if (settings == null
                || !s.variant.equals(settings.variant)
                || s.steps != settings.steps
                || s.period != settings.period
                || s.seed != settings.seed
                || s.sketchDepth != settings.sketchDepth
                || s.sketchWidth != settings.sketchWidth
                || monitor == null
                || base == null
                || base.length != dim) {
            fda = FdaParams.fromSettings(s);
            monitor = new DriftMonitor(fda, dim);
        }
        settings = s;
    }

    /** A new synchronised model: the drift base moves, then local training resumes from it. */
    private void rebase(double[] model, List<ClientUpdate> events) {
        previousBase = base;
        base = model.clone();
        local = model.clone();
        xi = fda.variant() == FdaVariant.LINEAR ? monitor.direction(base, previousBase) : null;
        awaitingSync = false;
        awaitingDecision = false; // a decision of an earlier base no longer applies
        takeSteps(events);
    }

    /** Local steps until the next report or upload. */
    private void takeSteps(List<ClientUpdate> events) {
        while (true) {
            trainer.step(local);
            step++;
            if (fda.uploadsWithoutDecision(step)) {
                upload(events);
                return;
            }
            if (fda.variant().monitored()) {
                FdaReport r = monitor.state(local, base, xi);
                events.add(
                        ClientUpdate.fdaState(
                                clientId, serverId, round, step, r.sqNorm, r.projection, r.sketch));
                awaitingDecision = true;
                return;
            }
        }
    }

    private void upload(List<ClientUpdate> events) {
        events.add(
                ClientUpdate.model(
                        clientId, serverId, round, step, trainer.sampleCount(), local.clone()));
        awaitingSync = step < fda.steps();
    }
}
