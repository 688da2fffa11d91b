/** An entity mention as Watson reports it in `entities[]`. Locations are UTF-16 offsets, end exclusive. */
export interface RuntimeEntity {
  entity: string;
  location: [number, number];
  value: string;
  confidence: number;
  metadata?: Record<string, unknown>;
  groups?: { group: string; location: [number, number] }[];
}
