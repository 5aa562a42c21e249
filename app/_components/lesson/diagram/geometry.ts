/**
 * Plain geometry for the lesson's static SVG diagrams: where an arrow between two shapes
 * starts and stops, and the triangle that marks its head. Arrowheads are drawn as polygons
 * rather than SVG <marker>s so that a page can hold several diagrams without id clashes and
 * so the head always takes the arrow's own colour.
 */

export type Shape =
  { kind: 'circle'; x: number; y: number; r: number } | { kind: 'rect'; x: number; y: number; w: number; h: number };

export interface Point {
  x: number;
  y: number;
}

/** Distance from a shape's centre to its outline along the unit direction (ux, uy). */
export function outlineDistance(shape: Shape, ux: number, uy: number): number {
  if (shape.kind === 'circle') return shape.r;
  const tx = ux === 0 ? Infinity : shape.w / 2 / Math.abs(ux);
  const ty = uy === 0 ? Infinity : shape.h / 2 / Math.abs(uy);
  return Math.min(tx, ty);
}

export interface ArrowGeometry {
  /** The shaft, from just outside `from` to the base of the head. */
  start: Point;
  end: Point;
  /** Head triangle as an SVG `points` string. */
  head: string;
}

/** An arrow from the outline of `from` to the outline of `to`, leaving `gap` units clear. */
export function arrowBetween(from: Shape, to: Shape, headLength = 11, headHalfWidth = 5.5, gap = 3): ArrowGeometry {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const startOffset = outlineDistance(from, ux, uy) + gap;
  const tipOffset = length - outlineDistance(to, ux, uy) - gap;
  const tip = { x: from.x + ux * tipOffset, y: from.y + uy * tipOffset };
  const base = { x: tip.x - ux * headLength, y: tip.y - uy * headLength };
  // Perpendicular to the shaft.
  const px = -uy * headHalfWidth;
  const py = ux * headHalfWidth;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    start: { x: round(from.x + ux * startOffset), y: round(from.y + uy * startOffset) },
    end: { x: round(base.x), y: round(base.y) },
    head: [tip, { x: base.x + px, y: base.y + py }, { x: base.x - px, y: base.y - py }]
      .map((p) => `${round(p.x)},${round(p.y)}`)
      .join(' '),
  };
}
