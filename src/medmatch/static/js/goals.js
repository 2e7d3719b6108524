// The what-if weights: each slider shows its number as it moves (the <output> beside it).
document.addEventListener("input", (event) => {
  const slider = event.target;
  if (!slider.matches || !slider.matches(".what-if input[type=range]")) return;
  const output = document.getElementById(`${slider.id}_value`);
  if (output) output.value = slider.value;
});
