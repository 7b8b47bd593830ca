package io.dflink.operators.functions;

import io.dflink.records.SourceRef;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * Writes a raw record ({@link SourceRef}) between the source and the keyed server task field by
 * field, without the POJO serializer's reflection, which cost more per small update than decoding
 * it (docs/benchmarks.md, fan-in from a backlog). Used for the stream only: the state's buffered
 * inputs keep their POJO form, so savepoints are unchanged.
 */
public final class SourceRefSerializer extends TypeSerializerSingleton<SourceRef> {

    private static final long serialVersionUID = 1L;

    public static final SourceRefSerializer INSTANCE = new SourceRefSerializer();

    private static final int HAS_KEY = 1;
    private static final int HAS_SIGNATURE = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SourceRef createInstance() {
        return new SourceRef();
    }

    @Override
    public SourceRef copy(SourceRef from) {
        SourceRef r = new SourceRef(from.topic, from.partition, from.offset, from.key, from.bytes);
        r.signature = from.signature;
        return r; // the byte arrays are never written to after the source made them
    }

    @Override
    public SourceRef copy(SourceRef from, SourceRef reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SourceRef r, DataOutputView out) throws IOException {
        out.writeByte((r.key != null ? HAS_KEY : 0) | (r.signature != null ? HAS_SIGNATURE : 0));
        StringValue.writeString(r.topic, out);
        out.writeInt(r.partition);
        out.writeLong(r.offset);
        if (r.key != null) {
            StringValue.writeString(r.key, out);
        }
        writeBytes(r.bytes, out);
        if (r.signature != null) {
            writeBytes(r.signature, out);
        }
    }

    @Override
    public SourceRef deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        SourceRef r = new SourceRef();
        r.topic = StringValue.readString(in);
        r.partition = in.readInt();
        r.offset = in.readLong();
        r.key = (flags & HAS_KEY) != 0 ? StringValue.readString(in) : null;
        r.bytes = readBytes(in);
        r.signature = (flags & HAS_SIGNATURE) != 0 ? readBytes(in) : null;
        return r;
    }

    @Override
    public SourceRef deserialize(SourceRef reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SourceRef> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        byte[] v = b == null ? new byte[0] : b;
        out.writeInt(v.length);
        out.write(v);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    /** The serializer has no configuration: any version restores it as it is. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SourceRef> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
