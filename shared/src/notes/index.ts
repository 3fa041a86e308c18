export * from './model.js';
export * from './document.js';
export { buildNotes, PRIORITIES_BOARD_KIND, type BuildNotesOptions } from './build-notes.js';
export { normaliseThemeName } from './build-boards.js';
export { notesActionsOf, settleCarriedActions } from './outcomes-input.js';
export { ACTION_COLUMNS, DECISION_COLUMNS, OUTCOME_TITLES } from './outcome-labels.js';
export { renderMarkdown, escapeMarkdown } from './render-markdown.js';
export { renderHtml, escapeHtml } from './render-html.js';
export { renderCsv, neutraliseCsvFormula, NOTES_CSV_COLUMNS, type RenderCsvOptions } from './render-csv.js';
export {
  renderJson,
  parseNotesJson,
  NotesJsonError,
  NOTES_JSON_FORMAT,
  NOTES_JSON_VERSION,
  READABLE_VERSIONS,
  type NotesJson
} from './notes-json.js';
export { workshopRecordSchema, projectRecord } from './record-schema.js';
// buildDocx lives at '@goldthread/shared/notes-docx', so the docx library stays out of the web bundle.
export { notesFileName, notesFileNameFor } from './file-names.js';
export { isIsoDate, londonIsoDate, longDate, workshopIsoDate, addDays } from './notes-dates.js';
