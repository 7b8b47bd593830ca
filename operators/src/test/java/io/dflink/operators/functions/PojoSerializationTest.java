package io.dflink.operators.functions;

import io.dflink.operators.core.AdmmProgress;
import io.dflink.operators.core.FdaProgress;
import io.dflink.operators.core.GradientPart;
import io.dflink.operators.core.LinkSkip;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.fda.FdaReport;
import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.records.AdmmSettings;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.FdaSettings;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;
import io.dflink.records.Traffic;

import org.apache.flink.types.PojoTestUtils;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type in Flink state or between operators is serialized as a POJO, never by Kryo: Kryo state
 * is what breaks when serializers change between Flink versions.
 */
class PojoSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                ServerState.class,
                ServerInput.class,
                TopologyHistory.class,
                TopologyEvent.class,
                LinkSkip.class,
                SourceRef.class,
                ClientUpdate.class,
                ConsensusMessage.class,
                ServerModel.class,
                DeadLetter.class,
                RoundMetrics.class,
                ControlEvent.class,
                FdaSettings.class,
                Traffic.class,
                FdaProgress.class,
                FdaReport.class,
                AdmmProgress.class,
                GradientPart.class,
                AdmmSettings.class,
                LoraFactors.class
            })
    void shouldBeSerializedAsPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }
}
