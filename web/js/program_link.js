// The program of the graph and expression views in a link: the URL
// parameter program=<text> (outside state.js's SCHEMA: free text whose
// default depends on the view and the lesson). A link holds it only when it
// differs from what the view would show without it, and only up to
// PROGRAM_URL_MAX characters once encoded; a longer program is left out of
// the address and Share (the view says so), because servers commonly turn
// away request lines over 8 KB. No DOM here.
import { PRESETS, GRAPH_PRESETS } from './presets.js';
import { lessonById } from './lessons.js';

/** Characters of program=... a link may carry (URL-encoded). */
export const PROGRAM_URL_MAX = 6000;

/** What view shows without a program in the link: the lesson's program
 * (a graph lesson), else the view's first example; null on other views. */
export function defaultProgram(view, lessonId = '') {
  const lesson = lessonById(lessonId ?? '');
  if (lesson?.program && lesson.view === view) return lesson.program;
  if (view === 'graph') return GRAPH_PRESETS[0].program;
  if (view === 'expr') return PRESETS[0].program;
  return null;
}

/**
 * The query part that carries program to view (with lesson lessonId):
 * { part: 'program=...' or '', length: its encoded characters, tooLong }.
 * part is '' for no program, the view's own, or one over PROGRAM_URL_MAX.
 */
export function programPart(program, view, lessonId = '') {
  if (program === null || program === undefined || program === defaultProgram(view, lessonId)) {
    return { part: '', length: 0, tooLong: false };
  }
  const part = new URLSearchParams({ program }).toString();
  const length = part.length - 'program='.length;
  return length > PROGRAM_URL_MAX ? { part: '', length, tooLong: true } : { part, length, tooLong: false };
}

/** Query parts joined with '&', empty ones left out. */
export const joinQuery = (...parts) => parts.filter(Boolean).join('&');
