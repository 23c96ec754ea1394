import { Admin } from '@platformatic/kafka';
import { TOPICS, type TopicKey } from '@orqestra/contracts';

/**
 * Consumer lag of a catalog topic for its consumer group: messages published but not yet
 * committed, summed over partitions (SPEC §8 metrics). One Admin connection, reused.
 */
export class LagMeter {
  private readonly admin: Admin;

  constructor(
    brokers: string[],
    private readonly topicPrefix = '',
  ) {
    this.admin = new Admin({ clientId: 'orqestra-lag', bootstrapBrokers: brokers });
  }

  async lag(topic: TopicKey, groupId?: string): Promise<number> {
    const spec = TOPICS[topic];
    const name = this.topicPrefix + spec.name;
    const group = this.topicPrefix + (groupId ?? spec.group);
    const metadata = await this.admin.metadata({ topics: [name] });
    const partitions = metadata.topics.get(name)?.partitionsCount ?? 0;
    const latest = await this.admin.listOffsets({
      topics: [{ name, partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })) }],
    });
    const committed = await this.admin.listConsumerGroupOffsets({ groups: [group] });
    const done = new Map<number, bigint>();
    for (const t of committed[0]?.topics ?? [])
      if (t.name === name) for (const p of t.partitions) done.set(p.partitionIndex, p.committedOffset);
    let lag = 0n;
    for (const p of latest[0]?.partitions ?? []) {
      const committedAt = done.get(p.partitionIndex) ?? 0n;
      const at = committedAt < 0n ? 0n : committedAt; // -1: nothing committed yet
      if (p.offset > at) lag += p.offset - at;
    }
    return Number(lag);
  }

  async close(): Promise<void> {
    await this.admin.close();
  }
}
