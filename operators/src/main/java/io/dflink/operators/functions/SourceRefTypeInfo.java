package io.dflink.operators.functions;

import io.dflink.records.SourceRef;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the raw-record stream (source and wake-ups to the keyed server task), serialized by
 * {@link SourceRefSerializer}. Every stream of raw records declares it, so they can be united.
 */
public final class SourceRefTypeInfo extends TypeInformation<SourceRef> {

    private static final long serialVersionUID = 1L;

    public static final SourceRefTypeInfo INSTANCE = new SourceRefTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<SourceRef> getTypeClass() {
        return SourceRef.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SourceRef> createSerializer(SerializerConfig config) {
        return SourceRefSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "SourceRef (raw record)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceRefTypeInfo;
    }

    @Override
    public int hashCode() {
        return SourceRefTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof SourceRefTypeInfo;
    }
}
