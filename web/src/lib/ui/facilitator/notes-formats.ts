import type { NotesFileFormat } from '$lib/facilitator-api';

/** One option of a notes drop-down: the value it stands for and the words shown for it. */
export interface NotesChoice<Value extends string> {
  value: Value;
  label: string;
}

/** The notes formats as offered to a facilitator, most useful first. */
export const NOTES_FORMAT_CHOICES: NotesChoice<NotesFileFormat>[] = [
  { value: 'docx', label: 'Word document (.docx)' },
  { value: 'html', label: 'Printable web page (.html)' },
  { value: 'md', label: 'Plain text, Markdown (.md)' },
  { value: 'csv', label: 'Spreadsheet, CSV (.csv)' },
  { value: 'json', label: 'Data for re-importing, JSON (.json)' }
];
