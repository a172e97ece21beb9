/**
 * Connected pieces of ink: specks of noise are dropped, pieces of one digit (a 5's detached bar)
 * are kept, and several digits side by side are recognised so the user can be told to crop.
 */

export interface Piece {
  mass: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** 8-connected labelling of `mask`; labels[i] is the piece index + 1, 0 for background. */
export function label(mask: Uint8Array, ink: Float32Array, w: number, h: number): { labels: Int32Array; pieces: Piece[] } {
  const labels = new Int32Array(w * h);
  const pieces: Piece[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || labels[start]) continue;
    const id = pieces.length + 1;
    const piece: Piece = { mass: 0, x0: w, y0: h, x1: -1, y1: -1 };
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      piece.mass += ink[i];
      if (x < piece.x0) piece.x0 = x;
      if (x > piece.x1) piece.x1 = x;
      if (y < piece.y0) piece.y0 = y;
      if (y > piece.y1) piece.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (mask[j] && !labels[j]) {
            labels[j] = id;
            stack.push(j);
          }
        }
      }
    }
    pieces.push(piece);
  }
  return { labels, pieces };
}

/** Which pieces belong to the digit: all but specks far lighter than the largest piece. */
export function keepPieces(pieces: Piece[]): boolean[] {
  const largest = pieces.reduce((m, p) => Math.max(m, p.mass), 0);
  const main = pieces.find((p) => p.mass === largest)!;
  const mh = main.y1 - main.y0 + 1;
  const mw = main.x1 - main.x0 + 1;
  return pieces.map((p) => {
    if (p.mass >= 0.1 * largest) return true;
    // A small piece next to the main one (a dot of a broken stroke) stays; one far away is a speck.
    const near = p.x1 >= main.x0 - 0.25 * mw && p.x0 <= main.x1 + 0.25 * mw && p.y1 >= main.y0 - 0.25 * mh && p.y0 <= main.y1 + 0.25 * mh;
    return near && p.mass >= 0.02 * largest;
  });
}

/**
 * Groups of pieces that stand apart horizontally, each big enough to be a digit of its own.
 * One group is one digit; more mean a number was written, which MNIST models cannot read.
 */
export function digitGroups(pieces: Piece[]): Piece[] {
  const sorted = [...pieces].sort((a, b) => a.x0 - b.x0);
  const groups: Piece[] = [];
  for (const p of sorted) {
    const g = groups.at(-1);
    const gapAllowed = g ? 0.1 * Math.max(g.y1 - g.y0 + 1, p.y1 - p.y0 + 1) : 0;
    if (g && p.x0 <= g.x1 + gapAllowed) {
      g.mass += p.mass;
      g.x0 = Math.min(g.x0, p.x0); g.x1 = Math.max(g.x1, p.x1);
      g.y0 = Math.min(g.y0, p.y0); g.y1 = Math.max(g.y1, p.y1);
    } else {
      groups.push({ ...p });
    }
  }
  const heaviest = groups.reduce((m, g) => Math.max(m, g.mass), 0);
  const tallest = groups.reduce((m, g) => Math.max(m, g.y1 - g.y0 + 1), 0);
  return groups.filter((g) => g.mass >= 0.3 * heaviest && g.y1 - g.y0 + 1 >= 0.5 * tallest);
}
