// The teacher's questions: edit, add or remove them here.
// `answer` is the index of the right choice (0 is the first); leave it out for an opinion poll.
export const questions = [
  {
    id: 'planet',
    text: 'Which planet is closest to the Sun?',
    choices: ['Venus', 'Mercury', 'Mars', 'Earth'],
    answer: 1,
  },
  {
    id: 'water',
    text: 'At what temperature does water boil at sea level?',
    choices: ['50 °C', '90 °C', '100 °C', '120 °C'],
    answer: 2,
  },
  {
    id: 'html',
    text: 'What does the H in HTML stand for?',
    choices: ['Hyper', 'Home', 'Heading'],
    answer: 0,
  },
]
