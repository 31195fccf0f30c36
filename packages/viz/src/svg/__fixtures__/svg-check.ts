import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** Fails the test unless svg is well-formed XML with an <svg> root; returns the root element parsed. */
export function parseSvg(svg: string): Record<string, unknown> {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as Record<string, unknown>;
  expect(Object.keys(parsed)).toEqual(['svg']);
  return parsed.svg as Record<string, unknown>;
}

/** How many times a substring occurs. */
export function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Numeric attribute values of every element whose opening tag contains marker, in document order. */
export function attrsOf(svg: string, marker: string, attr: string): number[] {
  const tags = svg.match(/<[^>]+>/g) ?? [];
  return tags.filter((t) => t.includes(marker)).map((t) => Number(new RegExp(`\\s${attr}="([^"]*)"`).exec(t)![1]));
}
