// Guided lessons, one table in course order (issue 9). Each lesson opens a
// view with a partial URL state (keys of SCHEMA in state.js, laid over that
// view's defaults); its words are the i18n keys lesson.<id>.title,
// lesson.<id>.text and lesson.<id>.try, in every language. The lesson
// picker, next/previous, the instructors' page and the browser tests all
// read this table. (Being filled in: the first entries reuse presets.)
export const LESSONS = [
  { id: 'chain-rule', view: 'graph', state: { view: 'graph' } },
  { id: 'xor-hidden', view: 'play', state: { preset: 'xor-hidden' } },
];
