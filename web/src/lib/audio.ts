/**
 * The optional "time is up" sound: a few short beeps made with Web Audio, so no sound file is
 * downloaded. Browsers allow sound only after a person has pressed something, so the audio
 * context is created when they switch the sound on.
 */
let context: AudioContext | null = null;

const PREFERENCE_KEY = 'goldthread:time-up-sound';

/** Prepares audio; call from the click or change that switches the sound on. */
export function unlockAudio(): void {
  try {
    context ??= new AudioContext();
    void context.resume();
  } catch {
    context = null;
  }
}

/** Three short beeps (does nothing when audio was never unlocked). */
export function beep(): void {
  if (!context) return;
  const start = context.currentTime + 0.05;
  for (let i = 0; i < 3; i++) {
    const at = start + i * 0.35;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.25);
  }
}

export function loadSoundPreference(): boolean {
  try {
    return localStorage.getItem(PREFERENCE_KEY) === 'on';
  } catch {
    return false;
  }
}

export function saveSoundPreference(on: boolean): void {
  try {
    localStorage.setItem(PREFERENCE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage blocked: the choice lasts for this page only.
  }
}
