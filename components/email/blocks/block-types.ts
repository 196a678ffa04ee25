import type { EmailBlock } from "@/lib/email-blocks";

export type BlockOf<T extends EmailBlock["type"]> = Extract<EmailBlock, { type: T }>;

/** What every block's fields get: the block, a patcher, its id prefix, error lookup, read-only. */
export interface BlockFieldProps<T extends EmailBlock["type"]> {
  block: BlockOf<T>;
  onChange: (patch: Partial<BlockOf<T>>) => void;
  id: string;
  error: (key: string) => string | undefined;
  readOnly: boolean;
}
